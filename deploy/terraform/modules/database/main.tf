# PostgreSQL 15 in a container with a named volume. For production, a managed
# database is usually the better choice: skip this module and pass its
# address to web-app instead.

resource "docker_image" "postgres" {
  name         = var.image
  keep_locally = true
}

resource "docker_volume" "data" {
  name = "${var.name_prefix}-pgdata"

  # Losing this volume loses every tweet: Terraform must never delete it.
  lifecycle {
    prevent_destroy = true
  }
}

resource "docker_container" "postgres" {
  name     = "${var.name_prefix}-postgres"
  hostname = "${var.name_prefix}-postgres"
  image    = docker_image.postgres.image_id
  restart  = "unless-stopped"
  memory   = var.memory_mb
  shm_size = 256

  env = [
    "POSTGRES_DB=${var.database_name}",
    "POSTGRES_USER=${var.user}",
    "POSTGRES_PASSWORD_FILE=/run/secrets/postgres_password",
  ]

  # Root-owned (no owner given: naming one makes Docker look it up in the
  # image); the entrypoint reads it as root before dropping to postgres.
  upload {
    file        = "/run/secrets/postgres_password"
    content     = var.password
    permissions = "0400"
  }

  # Sized with the application's pools: replicas × (TWEETS_DB_MAX_CONNS + 1)
  # + 2 must stay within max_connections less 3 reserved for superusers.
  command = ["postgres", "-c", "max_connections=${var.max_connections}"]

  networks_advanced {
    name    = var.network_name
    aliases = ["postgres"]
  }

  volumes {
    volume_name    = docker_volume.data.name
    container_path = "/var/lib/postgresql/data"
  }

  dynamic "ports" {
    for_each = var.publish_port > 0 ? [var.publish_port] : []
    content {
      internal = 5432
      external = ports.value
      ip       = "127.0.0.1"
    }
  }

  healthcheck {
    test         = ["CMD-SHELL", "pg_isready -U \"$POSTGRES_USER\" -d \"$POSTGRES_DB\""]
    interval     = "10s"
    timeout      = "5s"
    retries      = 5
    start_period = "30s"
  }
  # The apply goes on (to the migration) only once PostgreSQL answers.
  wait         = true
  wait_timeout = 120

  # Let PostgreSQL finish a checkpoint on shutdown.
  destroy_grace_seconds = 60
  stop_timeout          = 60

  log_driver = "json-file"
  log_opts = {
    max-size = "10m"
    max-file = "5"
  }
}
