"""Publishing: a Program and an Article in, files in the output folder out.

    Program → tags (ID3v2.4, mutagen) + cover (Pillow) → the MP3's tag
            → sidecars → <slug>.vtt, <slug>.chapters.json, <slug>.srt
    Script + Program → player (data, shared assets) → page → <slug>.html
    Episode → catalog (SQLite) → feed → feed.xml (lxml)

``folder`` keeps the catalog and feed of an output folder in step, under a lock
on the folder, with atomic writes.
"""
