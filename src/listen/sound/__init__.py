"""Sound: a Script in, takes and a Program out, then the MP3's frames.

    Script → synth → takes (each sentence spoken, mastered, MP3-encoded, cached)
           → master → Program (cue and chapter times from the frames written)
           → encode → the MP3 stream (Xing/LAME header + frames)

``voices`` reads voice profiles and picks the engine; ``engines/`` holds the
speech back-ends (pyttsx3 driving espeak-ng, Piper, the reference ``tone``);
``synth`` runs them in a worker pool, each worker running ``finish`` (master and
encode one take); ``cache`` is the content-addressed take cache. Outside
libraries: numpy, soxr (resampling), pydub and miniaudio (decoding), lameenc
(MP3), and the engines' own libraries, imported only when an engine speaks.
"""
