"""Appeals inside the article: newsletter sign-ups, subscriptions, donations, apps and
messenger channels, in English, German, French and Spanish (helper of ``cleanup``).

A publisher's appeal reads like a sentence ("Sign up for our free morning newsletter
and start the day informed."), so it is known by what it asks, not by a class. Only a
short block is judged, and only when the appeal opens it (after at most a short
lead-in such as "Enjoyed this story?"), so that an article about newsletters or
donations keeps its sentences.
"""

from __future__ import annotations

import re

# Longer than this is a paragraph of the article, whatever it mentions.
MAX_APPEAL = 300

# What the block may open with before the appeal: "Enjoyed this story? ", "Liebe Leserin,".
_LEAD_IN = r"^(?:[^.!?]{0,70}[?!:,–—]\s+|[^.!?]{0,40}\.\s+)?\W*"

_NEWSLETTER = (
    # English
    r"(?:sign up|subscribe|register)\b.{0,80}\b(?:newsletter|briefing|bulletin|digest|"
    r"e-?mails?|inbox|updates)"
    r"|get (?:our|the) .{0,50}(?:newsletter|briefing) "
    r"|(?:subscribe|become a (?:subscriber|member))(?: (?:now|today|here))?\b"
    r"|don't miss (?:a|any) (?:story|stories|thing)"
    r"|to (?:view|read|continue reading) the full (?:story|article),? (?:please )?subscribe"
    r"|(?:submit|send) (?:us )?your letter"
    r"|zapraszamy (?:też )?do subskrypcji|pour accéder en illimité|hazte (?:miembro|socio)"
    # German
    r"|(?:jetzt |hier )?(?:(?:unseren?|den|zum) )?(?:kostenlosen? )?newsletter "
    r"(?:abonnieren|bestellen|anmelden)"
    r"|(?:melden sie sich|abonnieren sie|bestellen sie|registrieren sie sich)\b.{0,60}"
    r"(?:newsletter|an\b|abo)"
    r"|(?:jetzt |hier )?abonnieren\b|(?:jetzt )?(?:ein )?abo (?:abschließen|sichern)"
    # French
    r"|(?:abonnez-vous|inscrivez-vous)\b|recevez .{0,60}(?:newsletter|lettre d'information"
    r"|infolettre)"
    # Spanish
    r"|(?:suscríbete|suscríbase|suscribite|apúntate|regístrate)\b"
    r"|recibe .{0,60}(?:boletín|newsletter)"
)
_DONATION = (
    r"(?:please )?(?:donate|make a donation|give (?:today|now))\b"
    r"|(?:support|help fund) (?:our|independent|this) (?:journalism|work|reporting|newsroom)"
    r"|become a (?:supporter|patron|member) (?:of|and|today|now)"
    r"|help us (?:continue|keep)\b"
    r"|(?:jetzt|bitte|hier) spenden\b|spenden sie\b"
    r"|unterstützen sie (?:uns|unsere arbeit|unseren journalismus|unabhängigen journalismus)"
    r"|unterstütze (?:uns|unsere arbeit|[A-ZÄÖÜ][\w-]+ ?$)"
    r"|(?:je )?(?:fais|faites) un don\b|soutenez(?:-nous| notre| le journalisme)"
    r"|(?:haz|hacer) una donación|dona (?:ahora|hoy)\b|apóyanos\b"
    r"|apoya (?:nuestro|el) periodismo"
)
_APP = (
    r"(?:download|get|install|try) (?:our|the) (?:free |new )?(?:[\w-]+ ){0,2}app\b"
    r"|(?:available|download it) (?:on|in|from) the app store|get it on google play"
    r"|(?:follow|join) (?:us|our [\w ]{0,20}channel|the [\w ]{1,30}) on "
    r"(?:whatsapp|telegram|signal|instagram|facebook|tiktok|threads|bluesky|mastodon|x|twitter)\b"
    r"|chat with us on|(?:whatsapp|telegram)[- ](?:channel|kanal|canal)"
    r"|.{0,40}(?:canal|kanal|channel) (?:de|on|auf) (?:telegram|whatsapp)"
    r"|laden sie .{0,40}\bapp\b|(?:unsere |die )?app (?:herunterladen|installieren)"
    r"|folgen sie uns auf\b"
    r"|téléchargez (?:notre |l'|la )?(?:nouvelle )?(?:application|appli|app)\b"
    r"|suivez-nous sur\b|rejoignez-nous sur\b"
    r"|descarga (?:nuestra|la) (?:app|aplicación)|s[ií]guenos en\b|únete a nuestro canal"
)
# Words every appeal above contains: most blocks are passed over on this one search.
_ANY = re.compile(
    r"newsletter|subscri|sign up|regist|inbox|mail|donat|spende|don\b|support|unterstütz"
    r"|soutenez|apóy|apoya|\bapp\b|appli|aplicación|app store|whatsapp|telegram|follow"
    r"|join|folgen|suivez|rejoign|síguenos|únete|abonn|abo\b|suscri|apúnt|bolet|lettre"
    r"|member|patron|chat with|miss|give|recevez|recibe|descarga|téléchargez|laden sie"
    r"|letter|subskryp|illimité|hazte|siguenos|help us|canal|kanal|channel",
    re.IGNORECASE,
)
# An appeal opens its block: its words come within the lead-in and a few words more.
_OPENING = 140
_APPEALS = (
    ("newsletter", re.compile(_LEAD_IN + "(?:" + _NEWSLETTER + ")", re.IGNORECASE)),
    ("donation", re.compile(_LEAD_IN + "(?:" + _DONATION + ")", re.IGNORECASE)),
    ("app-promo", re.compile(_LEAD_IN + "(?:" + _APP + ")", re.IGNORECASE)),
)


def appeal_reason(text: str) -> str | None:
    """"newsletter", "donation" or "app-promo" when ``text`` (a whole block) is such an
    appeal, else None."""
    if len(text) > MAX_APPEAL or not _ANY.search(text, 0, _OPENING):
        return None
    for reason, pattern in _APPEALS:
        if pattern.search(text):
            return reason
    return None
