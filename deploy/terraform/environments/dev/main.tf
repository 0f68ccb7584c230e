# Development environment: everything on the local Docker daemon, one
# replica, the database published on 127.0.0.1:5432, demo account on.
#
#   docker build -t tweets:dev .
#   export TF_VAR_secret_key=$(cat ../../../../secrets/tweets_secret_key.txt)
#   export TF_VAR_postgres_password=$(cat ../../../../secrets/postgres_password.txt)
#   terraform init && terraform apply

locals {
  name_prefix = "tweets-dev"
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

  name_prefix  = local.name_prefix
  network_name = docker_network.tweets.name
  password     = var.postgres_password
  memory_mb    = 512
  publish_port = 5432
}

module "cache" {
  source = "../../modules/cache"

  name_prefix  = local.name_prefix
  network_name = docker_network.tweets.name
  max_memory   = "64mb"
}

module "web" {
  source = "../../modules/web-app"

  name_prefix       = local.name_prefix
  image             = var.image
  replicas          = var.replicas
  network_name      = docker_network.tweets.name
  media_volume_name = docker_volume.media.name
  secret_key        = var.secret_key
  database          = module.database.connection
  database_password = var.postgres_password
  # The database is a container on this host's private Docker network,
  # without TLS configured: no byte of its traffic leaves the host. So TLS
  # is off, and TWEETS_CHECK_WAIVE tells `tweets check --deploy` that this
  # is deliberate. A database elsewhere needs verify-full and a CA file.
  database_sslmode = "disable"
  extra_env        = { TWEETS_CHECK_WAIVE = "DATABASE_URL" }
  # 10 replicas at most × (8 + 1) + 2 = 92 fits in 100 less 3 reserved.
  database_max_connections = module.database.max_connections
  db_max_conns             = 8
  redis_url                = module.cache.url
  allowed_hosts            = ["localhost", "127.0.0.1"]
  trusted_proxies          = [var.network_subnet]
  # Plain HTTP on localhost: Secure cookies would never be sent back.
  cookie_secure = false
  log_level     = "debug"
  demo          = true
}

module "load_balancer" {
  source = "../../modules/load-balancer"

  name_prefix       = local.name_prefix
  network_name      = docker_network.tweets.name
  upstreams         = module.web.upstreams
  upstream_ids      = module.web.container_ids
  media_volume_name = docker_volume.media.name
  http_port         = var.http_port
  bind_address      = "127.0.0.1"
}

module "monitoring" {
  source = "../../modules/monitoring"
  count  = var.enable_monitoring ? 1 : 0

  name_prefix            = local.name_prefix
  network_name           = docker_network.tweets.name
  database               = module.database.connection
  database_password      = var.postgres_password
  grafana_admin_password = var.grafana_admin_password
  slack_webhook_url      = var.slack_webhook_url
  retention              = "3d"
}
