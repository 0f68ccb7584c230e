# nginx in front of the application replicas. The configuration is the one
# of deploy/nginx/ (the same template that compose.yaml renders with
# envsubst), rendered here with templatefile() over the replicas.

locals {
  nginx_dir = "${path.module}/../../../nginx"
  tls       = var.tls_certificate != ""

  # Every placeholder of nginx.conf.template must be given (see its header).
  nginx_conf = templatefile("${local.nginx_dir}/nginx.conf.template", {
    NGINX_USER_DIRECTIVE       = "user nginx;"
    NGINX_RUN_DIR              = "/var/cache/nginx"
    NGINX_PID                  = "/var/run/nginx.pid"
    NGINX_ERROR_LOG            = "/dev/stderr"
    NGINX_ACCESS_LOG           = "/dev/stdout"
    NGINX_SERVER_NAME          = var.server_name
    NGINX_CLIENT_MAX_BODY_SIZE = var.client_max_body_size
    NGINX_REAL_IP_DIRECTIVES   = join("\n    ", [for c in var.real_ip_from : "set_real_ip_from ${c};"])
    NGINX_TRUSTED_PROXIES      = join("\n        ", [for c in var.real_ip_from : "${c} 1;"])
    # Names are resolved at start; the labels below recreate nginx instead.
    NGINX_RESOLVER          = ""
    NGINX_LISTEN_DIRECTIVES = local.tls ? "include tls.conf;" : "listen 8080 default_server;"
    NGINX_HTTP_SERVER       = local.tls ? "include http-redirect.conf;" : ""
    NGINX_ACME_ROOT         = "/var/www/acme"
    TWEETS_UPSTREAM_SERVERS = join("\n        ", [for u in var.upstreams : "server ${u} max_fails=0;"])
    TWEETS_MEDIA_ROOT       = "/srv/tweets/media"
  })

  tls_conf = templatefile("${local.nginx_dir}/tls.conf.template", {
    NGINX_TLS_LISTEN = "8443"
    NGINX_TLS_CERT   = "/etc/nginx/tls/tls.crt"
    NGINX_TLS_KEY    = "/etc/nginx/tls/tls.key"
  })

  # With TLS on, plain HTTP (8080) only redirects to HTTPS.
  http_redirect_conf = templatefile("${local.nginx_dir}/http-redirect.conf.template", {
    NGINX_LISTEN            = "8080"
    NGINX_SERVER_NAME       = var.server_name
    NGINX_ACME_ROOT         = "/var/www/acme"
    NGINX_HTTPS_PORT_SUFFIX = var.https_port == 443 ? "" : ":${var.https_port}"
  })

  snippets = fileset("${local.nginx_dir}/snippets", "*.conf")

  # Files for TLS (path = permissions), only when it is on; their contents
  # are kept apart so that the private key's sensitivity does not spread to
  # the for_each below.
  tls_files = local.tls ? {
    "/etc/nginx/tls.conf"           = "0644"
    "/etc/nginx/http-redirect.conf" = "0644"
    "/etc/nginx/tls/tls.crt"        = "0644"
    "/etc/nginx/tls/tls.key"        = "0400"
  } : {}
  tls_contents = {
    "/etc/nginx/tls.conf"           = local.tls_conf
    "/etc/nginx/http-redirect.conf" = local.http_redirect_conf
    "/etc/nginx/tls/tls.crt"        = var.tls_certificate
    "/etc/nginx/tls/tls.key"        = var.tls_private_key
  }
}

resource "docker_image" "nginx" {
  name         = var.image
  keep_locally = true
}

resource "docker_container" "nginx" {
  name     = "${var.name_prefix}-nginx"
  hostname = "${var.name_prefix}-nginx"
  image    = docker_image.nginx.image_id
  restart  = "unless-stopped"

  upload {
    file    = "/etc/nginx/nginx.conf"
    content = local.nginx_conf
  }

  dynamic "upload" {
    for_each = local.snippets
    content {
      file    = "/etc/nginx/snippets/${upload.value}"
      content = file("${local.nginx_dir}/snippets/${upload.value}")
    }
  }

  dynamic "upload" {
    for_each = local.tls_files
    content {
      file        = upload.key
      content     = local.tls_contents[upload.key]
      permissions = upload.value
    }
  }

  networks_advanced {
    name = var.network_name
  }

  dynamic "ports" {
    for_each = var.http_port > 0 ? [var.http_port] : []
    content {
      internal = 8080
      external = ports.value
      ip       = var.bind_address
    }
  }

  dynamic "ports" {
    for_each = local.tls ? [var.https_port] : []
    content {
      internal = 8443
      external = ports.value
      ip       = var.bind_address
    }
  }

  volumes {
    volume_name    = var.media_volume_name
    container_path = "/srv/tweets/media"
    read_only      = true
  }

  healthcheck {
    test     = ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/nginx-health"]
    interval = "10s"
    timeout  = "3s"
    retries  = 3
  }

  # nginx resolves the replicas' names when it starts: recreate it whenever a
  # replica is replaced (labels force a new container).
  labels {
    label = "dev.tweets.upstreams"
    value = sha1(join(",", concat(var.upstreams, var.upstream_ids)))
  }

  log_driver = "json-file"
  log_opts = {
    max-size = "10m"
    max-file = "5"
  }
}
