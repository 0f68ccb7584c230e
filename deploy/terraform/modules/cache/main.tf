# Redis as a pure cache: no persistence, bounded memory, LRU eviction. The
# application fails open when it is unavailable (it falls back to the
# database), so no volume and no replication.

resource "docker_image" "redis" {
  name         = var.image
  keep_locally = true
}

resource "docker_container" "redis" {
  name     = "${var.name_prefix}-redis"
  hostname = "${var.name_prefix}-redis"
  image    = docker_image.redis.image_id
  restart  = "unless-stopped"
  command = [
    "redis-server",
    "--save", "",
    "--appendonly", "no",
    "--maxmemory", var.max_memory,
    "--maxmemory-policy", "allkeys-lru",
  ]

  networks_advanced {
    name    = var.network_name
    aliases = ["redis"]
  }

  healthcheck {
    test     = ["CMD", "redis-cli", "ping"]
    interval = "10s"
    timeout  = "3s"
    retries  = 5
  }

  log_driver = "json-file"
  log_opts = {
    max-size = "10m"
    max-file = "3"
  }
}
