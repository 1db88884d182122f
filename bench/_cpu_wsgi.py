"""The WSGI application the visit benchmark serves: the product's own, with the CPU time each
request cost its worker process in a response header (`X-Bench-Cpu-Us`).

A sync worker runs one request at a time, so the process's CPU time from the call until the
response starts is that request's own: stable on a noisy machine where wall-clock throughput is
not. The header is added when Django starts the response (its body is already built)."""

import time

from config.wsgi import application as product

HEADER = "X-Bench-Cpu-Us"


def application(environ, start_response):
    started = time.process_time()

    def timed_start_response(status, headers, exc_info=None):
        spent = round((time.process_time() - started) * 1_000_000)
        return start_response(status, [*headers, (HEADER, str(spent))], exc_info)

    return product(environ, timed_start_response)
