output "url" {
  description = "Where nginx answers on the Docker host."
  value = (local.tls
    ? "https://${var.bind_address == "0.0.0.0" ? "localhost" : var.bind_address}:${var.https_port}/"
    : "http://${var.bind_address == "0.0.0.0" ? "localhost" : var.bind_address}:${var.http_port}/"
  )
}

output "container_name" {
  description = "Name of the nginx container."
  value       = docker_container.nginx.name
}

output "nginx_conf" {
  description = "The rendered nginx.conf (for review; scripts/validate/nginx.sh checks the same template with nginx -t)."
  value       = local.nginx_conf
}
