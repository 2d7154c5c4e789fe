"""The model layer: everything that knows how a server is spoken to.

The rest of the program speaks in answers: it hands over messages and a schema and gets back an
`Answer` (the JSON text, token usage, how the answer ended). Inside, one module per job:

- `dialects.py`: the table of structured-output dialects (request shape, answer parsing and
  re-ask shape chosen together) and the order `--mode auto` tries them in per server family.
- `answer.py`: reads a raw Chat Completions body into an `Answer` (the only reader of one).
- `transport.py`: the HTTP client (openai SDK), timeouts, rate limiting, recording.
- `retry.py`: transport retries, and which failures are not retried (rejected requests).
- `failures.py`: one readable line from whatever an endpoint answered with.
- `probe.py`: which server family sits behind a base URL, remembered in the user's cache dir.
- `budget.py`: the output-token cap derived from a schema.
- `client.py`: `ModelClient`: ask, re-ask, fall back to the next dialect when one is rejected.
- `double.py`: an in-process test double (a Python function that answers), no socket needed.
"""
