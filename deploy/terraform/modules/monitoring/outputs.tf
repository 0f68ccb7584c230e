output "prometheus_url" {
  description = "Prometheus on the Docker host (127.0.0.1 only)."
  value       = "http://127.0.0.1:${var.ports.prometheus}/"
}

output "alertmanager_url" {
  description = "Alertmanager on the Docker host (127.0.0.1 only)."
  value       = "http://127.0.0.1:${var.ports.alertmanager}/"
}

output "grafana_url" {
  description = "Grafana on the Docker host (127.0.0.1 only); user admin."
  value       = "http://127.0.0.1:${var.ports.grafana}/"
}
