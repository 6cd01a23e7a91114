"""``make run``: start the embedded servers, a Celery worker and the web server."""
