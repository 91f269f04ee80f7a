"""The ID3v2.4 tag, reopened with mutagen and read by ffmpeg as a player would."""

from __future__ import annotations

import dataclasses
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import imageio_ffmpeg
import numpy as np
import pytest
from mutagen.id3 import ID3, CTOCFlags
from mutagen.mp3 import MP3

from listen.errors import OutputError
from listen.models import ChapterMark, Cue, Episode, EpisodeTags, Program
from listen.publish.catalog import CATALOG_NAME
from listen.publish.cover import make_cover
from listen.publish.recover import episode_record, recover
from listen.publish.tags import language_code, read_tags, read_voice, render_id3
from listen.sound.encode import FRAME_SAMPLES, encode_take, write_mp3

RATE = 44100


def episode_tags(**changes: Any) -> EpisodeTags:
    tags = EpisodeTags(
        title="Why Ships Wait",
        authors=("Ada Lovelace", "Grace Hopper"),
        album="Example Weekly",
        date=datetime(2026, 3, 14, 9, 30, tzinfo=timezone.utc),
        language="en",
        description="A look at port congestion.",
        url="https://example.com/ships",
        transcript="Why Ships Wait. Ports are busy. Very busy.",
        voice="joe",
        cover=make_cover("Why Ships Wait", "Example Weekly", size=300),
    )
    return dataclasses.replace(tags, **changes)


def write_episode(path: Path, tags: EpisodeTags | None = None,
                  chapters: tuple[ChapterMark, ...] | None = None) -> Program:
    rng = np.random.default_rng(0)
    pcm = (rng.standard_normal(RATE * 3) * 2000).astype(np.int16)
    takes = [encode_take(pcm, speech_samples=len(pcm)) for _ in range(4)]
    frames = sum(t.frames for t in takes)
    duration = (frames * FRAME_SAMPLES - takes[0].lead_samples) / RATE
    chapters = chapters if chapters is not None else (
        ChapterMark(0.0, 3.0, "Why Ships Wait"),
        ChapterMark(3.0, 7.5, "The queue"),
        ChapterMark(7.5, duration, "What next"),
    )
    program = Program((Cue(0.0, 2.9, "Why Ships Wait."),), chapters, duration, frames, RATE, 64)
    with path.open("wb") as handle:
        handle.write(render_id3(tags or episode_tags(), program))
        write_mp3(handle, takes, program)
    return program


@pytest.fixture
def episode(tmp_path: Path) -> tuple[Path, Program]:
    """Written for each test (a tenth of a second), so that mutation testing, which runs
    the tests that call a function, sees every test that reads what it wrote."""
    path = tmp_path / "episode.mp3"
    return path, write_episode(path)


def test_every_frame_reopens(episode: tuple[Path, Program]) -> None:
    path, _ = episode
    tag = ID3(str(path))
    assert tag.version == (2, 4, 0)
    assert str(tag["TIT2"]) == "Why Ships Wait"
    assert tag["TPE1"].text == ["Ada Lovelace", "Grace Hopper"]
    assert str(tag["TALB"]) == "Example Weekly"
    assert str(tag["TDRC"]) == "2026-03-14"
    assert str(tag["TLAN"]) == "eng"
    assert tag.getall("COMM")[0].text == ["A look at port congestion."]
    assert tag.getall("WOAS")[0].url == "https://example.com/ships"
    assert str(tag["TCON"]) == "Podcast"
    assert tag.getall("USLT")[0].text.startswith("Why Ships Wait. Ports")
    assert tag["TXXX:generator"].text == ["listen"] and tag["TXXX:voice"].text == ["joe"]
    cover = tag.getall("APIC")[0]
    assert cover.type == 3 and cover.mime == "image/jpeg" and cover.data[:2] == b"\xff\xd8"


def test_chapters_are_ordered_and_inside_the_programme(episode: tuple[Path, Program]) -> None:
    path, program = episode
    tag = ID3(str(path))
    toc = tag.getall("CTOC")[0]
    assert toc.flags & CTOCFlags.TOP_LEVEL and toc.flags & CTOCFlags.ORDERED
    chapters = [tag[f"CHAP:{element}"] for element in toc.child_element_ids]
    starts = [c.start_time for c in chapters]
    assert starts == sorted(starts) and starts[0] == 0
    assert chapters[-1].end_time == round(program.duration * 1000)
    assert [str(c.sub_frames["TIT2"]) for c in chapters] == [
        "Why Ships Wait",
        "The queue",
        "What next",
    ]


def test_the_tag_does_not_disturb_the_audio(episode: tuple[Path, Program]) -> None:
    path, program = episode
    assert MP3(str(path)).info.length == pytest.approx(program.duration, abs=0.05)


def test_ffmpeg_reads_the_chapters(episode: tuple[Path, Program]) -> None:
    path, _ = episode
    result = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "ffmetadata", "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert result.stderr == ""
    chapters = ffmetadata_chapters(result.stdout)  # in file order, as players list them
    assert [title for _, _, title in chapters] == ["Why Ships Wait", "The queue", "What next"]
    # ffmpeg counts from before the 25 ms encoder delay it skips: within 50 ms is exact enough
    assert [start for start, _, _ in chapters] == pytest.approx([0.0, 3.0, 7.5], abs=0.05)


def ffmetadata_chapters(text: str) -> list[tuple[float, float, str]]:
    found = []
    for block in text.split("[CHAPTER]")[1:]:
        fields = dict(line.split("=", 1) for line in block.strip().splitlines() if "=" in line)
        found.append((int(fields["START"]) / 1000, int(fields["END"]) / 1000, fields["title"]))
    return found


def test_read_tags_summarises(episode: tuple[Path, Program]) -> None:
    summary = read_tags(episode[0])
    assert summary["text"]["TIT2"] == "Why Ships Wait" and summary["has_cover"]
    assert [title for _, _, title in summary["chapters"]][1] == "The queue"


@pytest.mark.parametrize(
    ("given", "code"),
    [("en", "eng"), ("de-AT", "deu"), ("pt_BR", "por"), ("fra", "fra"), ("xx", "und")],
)
def test_language_codes(given: str, code: str) -> None:
    assert language_code(given) == code


def test_read_tags_gives_chapter_times_in_seconds(episode: tuple[Path, Program]) -> None:
    path, program = episode
    assert read_tags(path)["chapters"] == [
        (0.0, 3.0, "Why Ships Wait"), (3.0, 7.5, "The queue"),
        (7.5, round(program.duration, 3), "What next"),
    ]


def test_every_text_frame_is_utf8(episode: tuple[Path, Program]) -> None:
    """ID3v2.4's UTF-8, so titles in any script read the same in every player."""
    tag = ID3(str(episode[0]))
    frames = [f for f in tag.values() if hasattr(f, "encoding")]
    frames += [sub for chap in tag.getall("CHAP") + tag.getall("CTOC")
               for sub in chap.sub_frames.values()]
    assert {f.FrameID for f in frames} >= {"TIT2", "TPE1", "COMM", "USLT", "TXXX", "APIC"}
    assert {int(f.encoding) for f in frames} == {3}


def test_read_tags_lists_the_text_a_player_shows(episode: tuple[Path, Program]) -> None:
    """Title, artists, album, date, language and genre; not the TXXX frames (generator,
    voice, the catalog row), which no player shows as text."""
    summary = read_tags(episode[0])
    assert summary["version"] == (2, 4, 0)
    assert summary["text"] == {
        "TIT2": "Why Ships Wait", "TPE1": "Ada Lovelace\x00Grace Hopper",  # v2.4's separator
        "TALB": "Example Weekly", "TDRC": "2026-03-14", "TLAN": "eng", "TCON": "Podcast",
    }


def test_description_and_transcript_are_where_players_look(tmp_path: Path) -> None:
    """Players show the COMM and USLT frames with an empty description, in the episode's
    language (iTunes' "Comments" and "Lyrics")."""
    path = tmp_path / "episode.mp3"
    write_episode(path, episode_tags(language="de-AT", transcript="Warum Schiffe warten."))
    tag = ID3(str(path))
    assert tag["COMM::deu"].text == ["A look at port congestion."]
    assert tag["USLT::deu"].text == "Warum Schiffe warten."
    assert str(tag["TLAN"]) == "deu"


def test_an_episode_without_authors_date_address_or_cover(tmp_path: Path) -> None:
    path = tmp_path / "episode.mp3"
    write_episode(path, episode_tags(authors=(), date=None, url=None, cover=b""), chapters=())
    tag = ID3(str(path))
    assert not {"TPE1", "TDRC", "WOAS", "CTOC", "CHAP"} & {key[:4] for key in tag}
    assert read_tags(path)["has_cover"] is False and read_tags(path)["chapters"] == []
    assert str(tag["TIT2"]) == "Why Ships Wait"


def test_chapter_marks_past_the_end_stop_at_the_end(tmp_path: Path) -> None:
    """A chapter never starts or ends after the audio, and never ends before it starts."""
    path = tmp_path / "episode.mp3"
    program = write_episode(path, chapters=(
        ChapterMark(0.0, 5.0, "Intro"), ChapterMark(5.0, 4.0, "Backwards"),
        ChapterMark(11.0, 99.0, "Overlong"), ChapterMark(999.0, 1000.0, "Beyond"),
    ))
    end = round(program.duration, 3)
    assert 11.0 < end < 99.0
    assert read_tags(path)["chapters"] == [
        (0.0, 5.0, "Intro"), (5.0, 5.0, "Backwards"), (11.0, end, "Overlong"),
        (end, end, "Beyond"),
    ]


def test_the_catalog_row_in_the_tag_brings_the_episode_back(tmp_path: Path) -> None:
    """`listen feed recover` takes an episode's guid and first date from its MP3."""
    episode = Episode(
        id="https://example.com/ships", guid="tag:example.com,2026:ships", title="Why Ships Wait",
        link="https://example.com/ships", description="A look at port congestion.",
        pub_date=datetime(2026, 3, 14, 9, 30, tzinfo=timezone.utc), audio_file="ships.mp3",
        length=0, duration=12.0, fingerprint="f" * 16,
    )
    write_episode(tmp_path / "ships.mp3", episode_tags(catalog=episode_record(episode,
                                                                              dated=True)))
    (tmp_path / CATALOG_NAME).write_bytes(b"\x00damaged\xff" * 512)
    report = recover(tmp_path)
    assert report.sources == {"MP3 tag": 1}
    [back] = report.episodes
    assert (back.guid, back.pub_date, back.fingerprint) == (
        episode.guid, episode.pub_date, episode.fingerprint)
    frame = ID3(str(tmp_path / "ships.mp3"))["TXXX:listen:episode"]  # what older MP3s carry
    assert frame.encoding == 3 and "tag:example.com,2026:ships" in frame.text[0]


def test_the_voice_is_read_back_and_a_missing_tag_says_so(
    episode: tuple[Path, Program], tmp_path: Path
) -> None:
    assert read_voice(episode[0]) == "joe"
    untagged = tmp_path / "untagged.mp3"
    untagged.write_bytes(b"\xff\xfb\x90\x00" + bytes(413))
    assert read_voice(untagged) == "" and read_voice(tmp_path / "missing.mp3") == ""
    by_another_tool = tmp_path / "other.mp3"
    write_episode(by_another_tool, episode_tags())
    tag = ID3(str(by_another_tool))
    tag.delall("TXXX:voice")
    tag.save()
    assert read_voice(by_another_tool) == ""
    with pytest.raises(OutputError) as caught:
        read_tags(untagged)
    assert str(caught.value).startswith(f"cannot read the ID3 tag of {untagged}: ")
