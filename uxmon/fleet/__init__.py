"""Beyond one machine: shards of a batch (CI matrices, Kubernetes Indexed Jobs), plan files,
merging shard bundles into one batch, and a worker fleet on a PostgreSQL queue (procrastinate).

The pure parts (the split, plan files) load nothing; the queue imports procrastinate only
where it is used, so ``uxmon[fleet]`` stays an optional extra.
"""
