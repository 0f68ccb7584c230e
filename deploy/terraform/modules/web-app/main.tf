# The tweets application: a one-shot migration container, then `replicas`
# identical containers on a shared network, each with its own data volume
# and the shared media volume.
#
# Secrets: the replicas run with a read-only root file system, into which
# Docker refuses uploads ("container rootfs is marked read-only"). So the
# secret files are uploaded once into a container that is created but
# never started ("secrets" below), whose volume the migrate container and
# the replicas mount read-only at /run/secrets. The files belong to root
# with mode 0444: an upload that names an owner makes Docker look the
# owner up inside the image (no /etc/passwd in a static image; 20.10
# fails with "getent unable to find entry"). Every process in these
# containers runs as 65532; on the host the volume is readable by root only.

locals {
  secrets_dir = "/run/secrets"

  environment = merge({
    TWEETS_ADDR             = ":8000"
    TWEETS_ADMIN_ADDR       = ":9000"
    TWEETS_DATA_DIR         = "/data"
    TWEETS_MEDIA_DIR        = "/data/media"
    TWEETS_SECRET_KEY_FILE  = "${local.secrets_dir}/tweets_secret_key"
    TWEETS_ALLOWED_HOSTS    = join(",", var.allowed_hosts)
    TWEETS_TRUSTED_PROXIES  = join(",", var.trusted_proxies)
    TWEETS_COOKIE_SECURE    = tostring(var.cookie_secure)
    TWEETS_LOG_FORMAT       = "json"
    TWEETS_LOG_LEVEL        = var.log_level
    TWEETS_SHUTDOWN_TIMEOUT = "25s"
    TWEETS_DEMO             = var.demo ? "1" : "0"
    TWEETS_REPLICAS         = tostring(var.replicas)
    TWEETS_DB_MAX_CONNS     = tostring(var.db_max_conns)
    TWEETS_REDIS_URL        = var.redis_url
    # The migrate container below applies migrations once, before the replicas.
    TWEETS_MIGRATE_ON_START = "false"
    POSTGRES_HOST           = var.database.host
    POSTGRES_PORT           = tostring(var.database.port)
    POSTGRES_DB             = var.database.name
    POSTGRES_USER           = var.database.user
    POSTGRES_PASSWORD_FILE  = "${local.secrets_dir}/postgres_password"
    POSTGRES_SSLMODE        = var.database_sslmode
    # nginx (modules/load-balancer) sends the media files that a replica
    # allows, from the shared volume at its internal /_media/.
    # With media in S3 there is no shared volume for nginx to send from:
    # the replicas send the files themselves (or TWEETS_S3_PUBLIC_URL).
    TWEETS_MEDIA_ACCEL_PREFIX = local.s3 ? "" : "/_media/"
  }, local.s3_environment, var.extra_env)

  # Media in an S3 bucket (docs/media.md) when media_s3 is set.
  s3 = var.media_s3 != null
  s3_environment = local.s3 ? {
    TWEETS_MEDIA_STORE               = "s3"
    TWEETS_S3_ENDPOINT               = var.media_s3.endpoint
    TWEETS_S3_BUCKET                 = var.media_s3.bucket
    TWEETS_S3_REGION                 = var.media_s3.region
    TWEETS_S3_PATH_STYLE             = tostring(var.media_s3.path_style)
    TWEETS_S3_PUBLIC_URL             = var.media_s3.public_url
    TWEETS_S3_ACCESS_KEY_ID_FILE     = "${local.secrets_dir}/s3_access_key_id"
    TWEETS_S3_SECRET_ACCESS_KEY_FILE = "${local.secrets_dir}/s3_secret_access_key"
  } : { TWEETS_MEDIA_STORE = "disk" }
  # The names of the S3 key files to upload (none on disk). Names only:
  # for_each refuses sensitive values.
  s3_key_files = local.s3 ? ["s3_access_key_id", "s3_secret_access_key"] : []

  # docker_container wants KEY=value strings; empty values are left out.
  env = sort([for k, v in local.environment : "${k}=${v}" if v != ""])
}

resource "docker_image" "app" {
  name         = var.image
  keep_locally = true
}

resource "docker_volume" "data" {
  count = var.replicas
  name  = "${var.name_prefix}-web-data-${count.index}"
}

resource "docker_volume" "secrets" {
  name = "${var.name_prefix}-web-secrets"
}

# Holds the secret files: created, never started. Replaced (and the files
# written anew) when a secret changes; the replicas follow through their
# dev.tweets.secrets label.
resource "docker_container" "secrets" {
  name     = "${var.name_prefix}-web-secrets"
  image    = docker_image.app.image_id
  command  = ["version"]
  start    = false
  must_run = false

  volumes {
    volume_name    = docker_volume.secrets.name
    container_path = local.secrets_dir
  }

  upload {
    file        = "${local.secrets_dir}/tweets_secret_key"
    content     = var.secret_key
    permissions = "0444"
  }

  upload {
    file        = "${local.secrets_dir}/postgres_password"
    content     = var.database_password
    permissions = "0444"
  }

  # The S3 keys, as files like the other secrets (media_s3 only).
  dynamic "upload" {
    for_each = local.s3_key_files
    content {
      file        = "${local.secrets_dir}/${upload.value}"
      content     = upload.value == "s3_access_key_id" ? var.media_s3_access_key_id : var.media_s3_secret_access_key
      permissions = "0444"
    }
  }
}

# Applies database migrations and exits. Terraform waits for it (attach)
# and the postcondition fails the apply when it fails; the replicas are
# not started then. `tweets migrate` itself waits up to TWEETS_DB_WAIT for
# the database. A new image or setting replaces it, so it runs again.
resource "docker_container" "migrate" {
  name     = "${var.name_prefix}-migrate"
  image    = docker_image.app.image_id
  command  = ["migrate"]
  env      = local.env
  attach   = true
  logs     = true
  must_run = false
  restart  = "no"

  read_only     = true
  security_opts = ["no-new-privileges:true"]

  capabilities {
    drop = ["ALL"]
  }

  networks_advanced {
    name = var.network_name
  }

  volumes {
    volume_name    = docker_volume.secrets.name
    container_path = local.secrets_dir
    read_only      = true
  }

  labels {
    label = "dev.tweets.secrets"
    value = docker_container.secrets.id
  }

  lifecycle {
    # PostgreSQL refuses connections past max_connections (3 are reserved
    # for superusers): every replica's pool, its LISTEN connection, the
    # migration and a maintenance session must fit.
    precondition {
      condition     = var.replicas * (var.db_max_conns + 1) + 2 <= var.database_max_connections - 3
      error_message = "replicas × (db_max_conns + 1) + 2 exceeds the database's max_connections less 3 reserved: lower db_max_conns, raise max_connections, or put a pooler such as PgBouncer in front."
    }

    postcondition {
      condition     = self.exit_code == 0
      error_message = "The migration failed (tweets migrate exited with a non-zero status); its log is in this container's container_logs and in `docker logs ${var.name_prefix}-migrate`."
    }
  }
}

resource "docker_container" "web" {
  count = var.replicas

  name     = "${var.name_prefix}-web-${count.index}"
  hostname = "${var.name_prefix}-web-${count.index}"
  image    = docker_image.app.image_id
  command  = ["serve"]
  env      = local.env
  restart  = "unless-stopped"

  read_only    = true
  tmpfs        = { "/tmp" = "rw,noexec,nosuid,size=64m" }
  memory       = var.memory_mb
  stop_timeout = 30
  # Graceful shutdown (TWEETS_SHUTDOWN_TIMEOUT=25s) plus a margin.
  destroy_grace_seconds = 30
  security_opts         = ["no-new-privileges:true"]

  capabilities {
    drop = ["ALL"]
  }

  networks_advanced {
    name    = var.network_name
    aliases = ["web"]
  }

  dynamic "ports" {
    for_each = var.publish_port_base > 0 ? [var.publish_port_base + count.index] : []
    content {
      internal = 8000
      external = ports.value
      ip       = "127.0.0.1"
    }
  }

  volumes {
    volume_name    = docker_volume.data[count.index].name
    container_path = "/data"
  }

  volumes {
    volume_name    = var.media_volume_name
    container_path = "/data/media"
  }

  # GET /readyz on TWEETS_ADDR with the first of TWEETS_ALLOWED_HOSTS as Host
  # (the main listener answers no other host).
  healthcheck {
    test         = ["CMD", "/tweets", "healthcheck"]
    interval     = var.healthcheck_interval
    timeout      = "5s"
    retries      = 3
    start_period = "20s"
  }
  # The apply ends only once every replica reports healthy.
  wait         = true
  wait_timeout = 120

  # The secret files (see the top of this file). They are in the Terraform
  # state too: keep the state encrypted and private.
  volumes {
    volume_name    = docker_volume.secrets.name
    container_path = local.secrets_dir
    read_only      = true
  }

  labels {
    label = "dev.tweets.secrets"
    value = docker_container.secrets.id
  }

  labels {
    label = "org.opencontainers.image.title"
    value = "tweets"
  }

  labels {
    label = "dev.tweets.migrated-by"
    value = docker_container.migrate.id
  }

  log_driver = "json-file"
  log_opts = {
    max-size = "10m"
    max-file = "5"
  }

  # Start only once the migration has succeeded.
  depends_on = [docker_container.migrate]
}
