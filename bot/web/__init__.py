"""The web app: chat API for every front end, the kiosk page (and later the staff dashboard)."""
