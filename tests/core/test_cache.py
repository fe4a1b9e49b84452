"""core.cache: Django's Redis cache with one client per connection pool."""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from core.cache import RedisCache


def test_one_client_per_pool_not_one_per_call() -> None:
    cache = RedisCache("redis://127.0.0.1:6379/0", {"OPTIONS": {"socket_timeout": 2}})
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is client
    assert cache._cache.get_client("some-key", write=False) is client
    assert client.connection_pool.connection_kwargs["socket_timeout"] == 2
    # Django's own builds a client per call, on the same pool.
    django_cache = DjangoRedisCache("redis://127.0.0.1:6379/0", {})
    first = django_cache._cache.get_client()
    assert django_cache._cache.get_client() is not first
    assert django_cache._cache.get_client().connection_pool is first.connection_pool


def test_reads_from_the_replicas_and_writes_to_the_first_server() -> None:
    cache = RedisCache("redis://primary:6379/0,redis://replica:6379/0", {})
    writer = cache._cache.get_client(write=True)
    reader = cache._cache.get_client()
    assert writer.connection_pool.connection_kwargs["host"] == "primary"
    assert reader.connection_pool.connection_kwargs["host"] == "replica"
    assert cache._cache.get_client() is reader
