"""The WSGI application gunicorn serves."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, their modules: over a hundred thousand objects)
# lives as long as the process. Frozen out of the cyclic garbage collector, its full
# collections stop walking them every few requests: in-process, a signed-in page costs a
# quarter fewer instructions and a visit a sixth fewer (bench/bench_visits.py).
gc.freeze()
