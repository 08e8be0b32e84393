"""Django's Redis cache backend, with one Redis client per process instead of one per call.

Django's RedisCacheClient.get_client() builds a new `redis.Redis` for every cache operation; with redis-py 8 that
constructor fills a table of some 170 response callbacks each time, about 0.2 ms of CPU per call. A cached page is
one cache call (tracker.caching), so that was a fifth of its cost. The client is thread-safe and its connection
pool is fork-safe (redis-py checks the process id), so one per process is enough.

To use it: CACHES = {"default": {"BACKEND": "tracker.redis_cache.RedisCache", "LOCATION": REDIS_URL}}.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
