#!/bin/sh
# Record a successful backup for node_exporter's textfile collector:
#
#   tweets-backup-metric [DIR]
#
# writes DIR/tweets_backup.prom (default DIR: /var/lib/prometheus/node-exporter,
# where Debian's prometheus-node-exporter and the Compose node-exporter
# service read) with the time of this call. Run it right after a backup
# succeeds; the TweetsBackupTooOld alert fires when the time is more than 26
# hours old. The file is written beside its final name and renamed, so that
# node_exporter never reads half of it.
set -eu

dir=${1:-/var/lib/prometheus/node-exporter}
if [ ! -d "$dir" ]; then
	echo "tweets-backup-metric: $dir does not exist (is node_exporter's textfile collector set up?)" >&2
	exit 1
fi
tmp="$dir/.tweets_backup.prom.$$"
{
	echo '# HELP tweets_backup_last_success_timestamp_seconds Unix time of the last successful tweets backup.'
	echo '# TYPE tweets_backup_last_success_timestamp_seconds gauge'
	echo "tweets_backup_last_success_timestamp_seconds $(date +%s)"
} >"$tmp"
chmod 0644 "$tmp"
mv "$tmp" "$dir/tweets_backup.prom"
