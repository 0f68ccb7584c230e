// Live updates for the pages, from the server-sent events of /live. A
// timeline marked data-live offers "N new tweets" as they arrive (a link
// that loads its first page again), and the unread count by
// Notifications keeps up for a logged-in reader. Every page works
// without this script; it only saves a reload.
(() => {
  'use strict';
  const timeline = document.querySelector('[data-live]');
  const nav = document.getElementById('nav-notifications');
  if (!window.EventSource || (!timeline && !nav)) return;

  const params = new URLSearchParams();
  let banner = null;
  const fresh = new Set(); // ids of new tweets the page does not show
  if (timeline) {
    params.set('timeline', timeline.dataset.live);
    if (timeline.dataset.after) params.set('after', timeline.dataset.after);
    banner = document.createElement('div');
    banner.className = 'live-banner';
    banner.setAttribute('aria-live', 'polite');
    timeline.insertBefore(banner, timeline.querySelector('article.tweet, p.empty'));
  }

  const onPage = (id) => document.querySelector('article.tweet a.when[href$="/' + id + '"]') !== null;

  const showCount = () => {
    banner.textContent = '';
    if (fresh.size === 0) return;
    const link = document.createElement('a');
    link.href = location.pathname;
    link.textContent = fresh.size === 1 ? '1 new tweet' : fresh.size + ' new tweets';
    banner.append(link);
  };

  // The badge reads as the server renders it: "Notifications 3 new" (or
  // "99+ new").
  const setUnread = (label) => {
    let badge = nav.querySelector('.badge');
    if (!(parseInt(label, 10) > 0)) {
      if (badge) badge.remove();
      return;
    }
    if (!badge) {
      badge = document.createElement('span');
      badge.className = 'badge';
      nav.append(' ', badge);
    }
    const hidden = document.createElement('span');
    hidden.className = 'visually-hidden';
    hidden.textContent = ' new';
    badge.replaceChildren(label, hidden);
  };

  const open = () => {
    const source = new EventSource('/live?' + params);
    source.addEventListener('tweet', (e) => {
      if (banner && !fresh.has(e.data) && !onPage(e.data)) {
        fresh.add(e.data);
        showCount();
      }
    });
    source.addEventListener('delete', (e) => {
      if (banner && fresh.delete(e.data)) showCount();
    });
    source.addEventListener('unread', (e) => {
      if (nav) setUnread(e.data);
    });
    return source;
  };
  // A page the browser keeps to come back to (the back button) lets go
  // of its stream, which would otherwise hold one of the few connections
  // a browser opens to a site; it opens a new one when shown again.
  let source = open();
  window.addEventListener('pagehide', () => source.close());
  window.addEventListener('pageshow', (e) => {
    if (e.persisted) source = open();
  });
})();
