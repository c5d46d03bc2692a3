"""The HTTP edge shared by the API and the pages: who is asking, cookies, CSRF, sign-in, limits, headers."""
