# Staging and production: the same topology on one Docker host each
# (var.environment picks names and sizes). Applied by CI (.github/workflows/ci.yml)
# with the image digest it built; see docs/deploy.md for a manual apply.

locals {
  name_prefix = "tweets-${var.environment == "production" ? "prod" : "staging"}"
  production  = var.environment == "production"
  tls         = var.tls_certificate != ""
}

resource "docker_network" "tweets" {
  name = local.name_prefix

  ipam_config {
    subnet = var.network_subnet
  }
}

resource "docker_volume" "media" {
  name = "${local.name_prefix}-media"

  # Uploaded media cannot be recreated: never let Terraform delete it.
  lifecycle {
    prevent_destroy = true
  }
}

module "database" {
  source = "../../modules/database"

  name_prefix  = local.name_prefix
  network_name = docker_network.tweets.name
  password     = var.postgres_password
  memory_mb    = local.production ? 4096 : 1024
}

module "cache" {
  source = "../../modules/cache"

  name_prefix  = local.name_prefix
  network_name = docker_network.tweets.name
  max_memory   = local.production ? "1gb" : "256mb"
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
  allowed_hosts            = [var.domain]
  trusted_proxies          = [var.network_subnet]
  cookie_secure            = true
  log_level                = "info"
  demo                     = false
}

module "load_balancer" {
  source = "../../modules/load-balancer"

  name_prefix       = local.name_prefix
  network_name      = docker_network.tweets.name
  upstreams         = module.web.upstreams
  upstream_ids      = module.web.container_ids
  media_volume_name = docker_volume.media.name
  server_name       = var.domain
  real_ip_from      = var.load_balancer_cidrs
  tls_certificate   = var.tls_certificate
  tls_private_key   = var.tls_private_key
  # With TLS in nginx nothing is served unencrypted; behind a load balancer
  # it reaches nginx over plain HTTP on port 80.
  http_port = local.tls ? 0 : 80
}

module "monitoring" {
  source = "../../modules/monitoring"

  name_prefix            = local.name_prefix
  network_name           = docker_network.tweets.name
  database               = module.database.connection
  database_password      = var.postgres_password
  grafana_admin_password = var.grafana_admin_password
  slack_webhook_url      = var.slack_webhook_url
  retention              = local.production ? "30d" : "7d"
}
