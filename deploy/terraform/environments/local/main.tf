# Local environment: the database and web-app modules on one Docker engine,
# with images built on this machine. scripts/engine-test.sh applies it
# against a Docker engine of its own, with the application image built
# from the Dockerfile (prebuilt binary, scratch base) and the PostgreSQL
# image built from Debian packages (scripts/engine/postgres), stand-ins for
# ghcr.io/tweetsdev/tweets and postgres:15 that need no registry. With
# the real images it also runs on a workstation:
#
#   terraform apply -var image=tweets:dev -var postgres_image=postgres:15
#
# No cache, load balancer or monitoring: their images are not built here.
# The replicas are published on 127.0.0.1:(publish_port_base + N).

locals {
  name_prefix = var.name_prefix
}

resource "docker_network" "tweets" {
  name = local.name_prefix

  ipam_config {
    subnet = var.network_subnet
  }
}

resource "docker_volume" "media" {
  name = "${local.name_prefix}-media"
}

module "database" {
  source = "../../modules/database"

  name_prefix     = local.name_prefix
  image           = var.postgres_image
  network_name    = docker_network.tweets.name
  password        = var.postgres_password
  memory_mb       = 512
  max_connections = 100
}

module "web" {
  source = "../../modules/web-app"

  name_prefix       = local.name_prefix
  image             = var.image
  replicas          = var.replicas
  network_name      = docker_network.tweets.name
  media_volume_name = docker_volume.media.name
  secret_key        = var.secret_key
  # database_name points the migration at a database that does not exist,
  # which the engine test uses to check that a failed migration fails the
  # apply.
  database = merge(module.database.connection, var.database_name == "" ? {} : { name = var.database_name })
  # As in dev and prod: the database is a container on this host's private
  # network, without TLS; check --deploy is told so.
  database_password        = var.postgres_password
  database_sslmode         = "disable"
  database_max_connections = module.database.max_connections
  db_max_conns             = 8
  allowed_hosts            = var.allowed_hosts
  trusted_proxies          = [var.network_subnet]
  cookie_secure            = var.cookie_secure
  demo                     = var.demo
  publish_port_base        = var.publish_port_base
  healthcheck_interval     = "2s"
  extra_env = {
    TWEETS_CHECK_WAIVE = "DATABASE_URL"
    # A migration that cannot reach its database fails after this long.
    TWEETS_DB_WAIT = "15s"
  }
}
