"""The read API, version 1 (`/api/v1/…`): the tracker's data as JSON, described by an OpenAPI 3.1 schema.

Hand-written views and schema rather than django-ninja: the views are the project's function-based views, served
through the same whole-page cache and ETag as every public page (`tracker.caching.public_page`), reusing the rows of
the downloads and the filters of the index, and the schema is one Python module checked by schemathesis in the tests.
"""
