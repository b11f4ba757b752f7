"""``dateline serve``: the HTTP API and the web page (see :func:`dateline.web.app.create_app`)."""
