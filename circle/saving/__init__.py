"""How circle's files are written and read; `circle.storage` is the public face.

- `atomic`: the one atomic write of the code base (storage and minutes use it);
- `jsonfile`: strict reading and readable rendering of TinyDB's JSON layout;
- `tinystore`: the TinyDB storage class on top of those two;
- `schema`: what a stored session, clock and summary must look like;
- `layout`: the files of one session and reading them back;
- `index`: the index of sessions, through TinyDB tables and queries.

Nothing here imports TinyDB at import time except `tinystore` and `index`,
which are loaded the first time an index or a TinyDB file is opened.
"""
