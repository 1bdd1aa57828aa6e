"""`marsad serve`: a small local web app (FastAPI) over marsad: analyse an article in the browser, search a
corpus database, and a JSON API under /api. See app.py."""
