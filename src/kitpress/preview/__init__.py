"""`kitpress preview`: the kit as page pictures in the browser, following every save.

live.py builds what the page shows (with the library, as a build does); pages.py
draws PDF pages as pictures; server.py answers the browser on 127.0.0.1 only, from
memory; watch.py follows the kit folder and sends each update to the page.
"""
