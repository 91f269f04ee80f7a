"""Settings: command-line options > ``LISTEN_*`` environment > ``listen.toml`` > defaults.

``listen.toml`` is the publisher profile. Every key is optional: without it listen
still writes valid output, with defaults drawn from the article, and warns about
what a publisher should set. Unknown keys are errors, so a typo never passes silently.
"""

from __future__ import annotations

from listen.config.channel import UNNAMED_SHOW, channel_for, publisher_name, show_title
from listen.config.load import CONFIG_NAME, find_config, load_settings
from listen.config.settings import MP3_BITRATES, Settings
from listen.config.voicecheck import voice_warning

__all__ = [
    "CONFIG_NAME",
    "MP3_BITRATES",
    "UNNAMED_SHOW",
    "Settings",
    "channel_for",
    "find_config",
    "load_settings",
    "publisher_name",
    "show_title",
    "voice_warning",
]
