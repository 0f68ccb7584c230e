# Prometheus, Alertmanager, Grafana and postgres-exporter, configured with
# the files of deploy/monitoring/ unchanged: the containers get the same
# network aliases as the Compose services (web, alertmanager,
# postgres-exporter, prometheus), so prometheus.yml works as it is. Its
# node and blackbox jobs find no target here (no node-exporter or
# blackbox-exporter container): the host and certificate alerts need those
# exporters run beside this module.

locals {
  monitoring_dir = "${path.module}/../../../monitoring"
  rule_files     = fileset("${local.monitoring_dir}/rules", "*.yml")
  grafana_files  = fileset("${local.monitoring_dir}/grafana", "**/*.{yml,yaml,json}")
}

resource "docker_image" "prometheus" {
  name         = var.images.prometheus
  keep_locally = true
}

resource "docker_image" "alertmanager" {
  name         = var.images.alertmanager
  keep_locally = true
}

resource "docker_image" "grafana" {
  name         = var.images.grafana
  keep_locally = true
}

resource "docker_image" "postgres_exporter" {
  name         = var.images.postgres_exporter
  keep_locally = true
}

resource "docker_volume" "prometheus" {
  name = "${var.name_prefix}-prometheus"
}

resource "docker_volume" "alertmanager" {
  name = "${var.name_prefix}-alertmanager"
}

resource "docker_volume" "grafana" {
  name = "${var.name_prefix}-grafana"
}

resource "docker_container" "prometheus" {
  name    = "${var.name_prefix}-prometheus"
  image   = docker_image.prometheus.image_id
  restart = "unless-stopped"
  command = [
    "--config.file=/etc/prometheus/prometheus.yml",
    "--storage.tsdb.path=/prometheus",
    "--storage.tsdb.retention.time=${var.retention}",
    "--web.enable-lifecycle",
  ]

  upload {
    file    = "/etc/prometheus/prometheus.yml"
    content = file("${local.monitoring_dir}/prometheus.yml")
  }

  dynamic "upload" {
    for_each = local.rule_files
    content {
      file    = "/etc/prometheus/rules/${upload.value}"
      content = file("${local.monitoring_dir}/rules/${upload.value}")
    }
  }

  # The blackbox job's targets (file_sd_configs of prometheus.yml).
  upload {
    file    = "/etc/prometheus/probes/https.yml"
    content = file("${local.monitoring_dir}/probes/https.yml")
  }

  networks_advanced {
    name    = var.network_name
    aliases = ["prometheus"]
  }

  volumes {
    volume_name    = docker_volume.prometheus.name
    container_path = "/prometheus"
  }

  ports {
    internal = 9090
    external = var.ports.prometheus
    ip       = "127.0.0.1"
  }

  healthcheck {
    test     = ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:9090/-/healthy"]
    interval = "15s"
    timeout  = "5s"
    retries  = 3
  }
}

resource "docker_container" "alertmanager" {
  name    = "${var.name_prefix}-alertmanager"
  image   = docker_image.alertmanager.image_id
  restart = "unless-stopped"
  command = [
    "--config.file=/etc/alertmanager/alertmanager.yml",
    "--storage.path=/alertmanager",
  ]

  upload {
    file    = "/etc/alertmanager/alertmanager.yml"
    content = file("${local.monitoring_dir}/alertmanager.yml")
  }

  upload {
    file    = "/run/secrets/alertmanager_slack_webhook_url"
    content = var.slack_webhook_url
    # Root-owned and world-readable: naming an owner makes Docker look it
    # up in the image, which Docker 20.10 fails at ("getent unable to find
    # entry"). The image runs as nobody, the container's only user.
    permissions = "0444"
  }

  networks_advanced {
    name    = var.network_name
    aliases = ["alertmanager"]
  }

  volumes {
    volume_name    = docker_volume.alertmanager.name
    container_path = "/alertmanager"
  }

  ports {
    internal = 9093
    external = var.ports.alertmanager
    ip       = "127.0.0.1"
  }

  healthcheck {
    test     = ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:9093/-/healthy"]
    interval = "15s"
    timeout  = "5s"
    retries  = 3
  }
}

resource "docker_container" "grafana" {
  name    = "${var.name_prefix}-grafana"
  image   = docker_image.grafana.image_id
  restart = "unless-stopped"

  env = [
    "GF_SECURITY_ADMIN_PASSWORD__FILE=/run/secrets/grafana_admin_password",
    "GF_USERS_ALLOW_SIGN_UP=false",
    "GF_ANALYTICS_REPORTING_ENABLED=false",
    "GF_ANALYTICS_CHECK_FOR_UPDATES=false",
  ]

  upload {
    file    = "/run/secrets/grafana_admin_password"
    content = var.grafana_admin_password
    # Root-owned and world-readable, as the Alertmanager's secret above;
    # the image runs as uid 472, the container's only user.
    permissions = "0444"
  }

  # provisioning/ and dashboards/ go to /etc/grafana/, as in compose.yaml.
  dynamic "upload" {
    for_each = local.grafana_files
    content {
      file    = "/etc/grafana/${upload.value}"
      content = file("${local.monitoring_dir}/grafana/${upload.value}")
    }
  }

  networks_advanced {
    name = var.network_name
  }

  volumes {
    volume_name    = docker_volume.grafana.name
    container_path = "/var/lib/grafana"
  }

  ports {
    internal = 3000
    external = var.ports.grafana
    ip       = "127.0.0.1"
  }

  healthcheck {
    test         = ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:3000/api/health"]
    interval     = "15s"
    timeout      = "5s"
    retries      = 5
    start_period = "30s"
  }

  depends_on = [docker_container.prometheus]
}

resource "docker_container" "postgres_exporter" {
  name    = "${var.name_prefix}-postgres-exporter"
  image   = docker_image.postgres_exporter.image_id
  restart = "unless-stopped"

  env = [
    "DATA_SOURCE_URI=${var.database.host}:${var.database.port}/${var.database.name}?sslmode=disable",
    "DATA_SOURCE_USER=${var.database.user}",
    "DATA_SOURCE_PASS_FILE=/run/secrets/postgres_password",
  ]

  upload {
    file    = "/run/secrets/postgres_password"
    content = var.database_password
    # Root-owned and world-readable, as the Alertmanager's secret above.
    permissions = "0444"
  }

  networks_advanced {
    name    = var.network_name
    aliases = ["postgres-exporter"]
  }

  healthcheck {
    test     = ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:9187/"]
    interval = "15s"
    timeout  = "5s"
    retries  = 3
  }
}
