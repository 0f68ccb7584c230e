// Drives the server with masto.js, as a Mastodon app would: every call
// below is one the library makes for its users. It registers an app and
// prints the authorize URL as a JSON line; the user's part (log in,
// Authorize) happens in the browser, which hands back the code on stdin.
// Then it checks what it sees, failing with a message on the first
// surprise, and prints a summary as the last JSON line.
//
// Environment: BASE (the server), OTHER_TOKEN (a second user, who posts,
// favourites, follows and mentions), IMAGE (a PNG to upload).
import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { createOAuthAPIClient, createRestAPIClient, createStreamingAPIClient } from "masto";
import WebSocket from "ws";

// masto 8 is written for Node 22. On Node 20 its WebSocket connector
// misses Promise.withResolvers, which is a few lines, and it reads the
// global WebSocket's state constants even when given an implementation.
Promise.withResolvers ??= function withResolvers() {
  let resolve, reject;
  const promise = new Promise((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
};
globalThis.WebSocket ??= WebSocket;

const base = process.env.BASE;
const out = {};
function check(ok, what, seen) {
  if (!ok) {
    throw new Error(`${what}; saw ${JSON.stringify(seen)}`);
  }
}
// within rejects when promise does not settle in ms.
function within(ms, what, promise) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

// 1. Register, then OAuth with PKCE (S256).
const anon = createRestAPIClient({ url: base });
const redirectUri = "urn:ietf:wg:oauth:2.0:oob";
const scopes = "read write follow";
const app = await anon.v1.apps.create({ clientName: "masto.js probe", redirectUris: redirectUri, scopes });
check(app.clientId && app.clientSecret, "apps.create gave no client id and secret", app);
const verifier = randomBytes(32).toString("base64url");
const challenge = createHash("sha256").update(verifier).digest("base64url");
const authorize = new URL("/oauth/authorize", base);
authorize.search = new URLSearchParams({ response_type: "code", client_id: app.clientId, redirect_uri: redirectUri,
  scope: scopes, code_challenge: challenge, code_challenge_method: "S256" }).toString();
console.log(JSON.stringify({ authorize: authorize.href }));
const stdin = createInterface({ input: process.stdin });
const code = (await stdin[Symbol.asyncIterator]().next()).value?.trim();
stdin.close();
check(code, "no authorization code on stdin", code);
const oauth = createOAuthAPIClient({ url: base });
const token = await oauth.token.create({ grantType: "authorization_code", code, codeVerifier: verifier,
  clientId: app.clientId, clientSecret: app.clientSecret, redirectUri, scope: scopes });
check(token.accessToken && token.scope === scopes, "token.create", token);

const masto = createRestAPIClient({ url: base, accessToken: token.accessToken });
const other = createRestAPIClient({ url: base, accessToken: process.env.OTHER_TOKEN });
const me = await masto.v1.accounts.verifyCredentials();
const them = await other.v1.accounts.verifyCredentials();
out.me = me.username;

// 2. An image with alt text, then a status with it; the image loads.
const image = await readFile(process.env.IMAGE);
const media = await masto.v2.media.create({ file: new Blob([image], { type: "image/png" }), description: "a blue square" });
check(media.description === "a blue square" && media.url, "v2.media.create", media);
const withImage = await masto.v1.statuses.create({ status: "a picture #probe", mediaIds: [media.id] });
const attached = withImage.mediaAttachments;
check(attached.length === 1 && attached[0].url === media.url && attached[0].description === "a blue square",
  "the status does not carry the image with its description", attached);
const img = await fetch(attached[0].url);
const imgBody = new Uint8Array(await img.arrayBuffer());
check(img.ok && img.headers.get("content-type")?.startsWith("image/") && imgBody.length > 0,
  "the image URL does not load", { status: img.status, type: img.headers.get("content-type"), bytes: imgBody.length });
out.altText = attached[0].description;

// 3. A reply to the other user; they favourite it, follow back and mention us.
const theirs = await other.v1.statuses.create({ status: "a question for anyone" });
const reply = await masto.v1.statuses.create({ status: `@${them.username} an answer`, inReplyToId: theirs.id });
check(reply.inReplyToId === theirs.id && reply.mentions.some((m) => m.username === them.username), "the reply", reply);
const ctx = await masto.v1.statuses.$select(theirs.id).context.fetch();
check(ctx.descendants.some((s) => s.id === reply.id), "the reply is not in the context", ctx);

// 4. Favourite, reblog, and undo both.
const target = masto.v1.statuses.$select(theirs.id);
check((await target.favourite()).favourited === true, "favourite", null);
const rb = await target.reblog();
check(rb.reblogged === true || rb.reblog?.reblogged === true, "reblog", rb);
const unrb = await target.unreblog();
check(unrb.reblogged === false, "unreblog", unrb);
const unfav = await target.unfavourite();
check(unfav.favourited === false && unfav.favouritesCount === 0, "unfavourite", unfav);

// 5. Follow; the relationship says so.
const rel = await masto.v1.accounts.$select(them.id).follow();
check(rel.following === true && rel.id === them.id, "follow", rel);
const [rel2] = await masto.v1.accounts.relationships.fetch({ id: [them.id] });
check(rel2?.following === true, "relationships after the follow", rel2);
await other.v1.accounts.$select(me.id).follow();
await other.v1.statuses.$select(withImage.id).favourite();
const mention = await other.v1.statuses.create({ status: `@${me.username} thanks`, inReplyToId: reply.id });

// 6. Notifications: their follow, favourite and mention.
const notes = await masto.v1.notifications.list({ limit: 30 });
const kinds = notes.filter((n) => n.account.id === them.id).map((n) => n.type);
check(["follow", "favourite", "mention"].every((k) => kinds.includes(k)), "notifications from the other user", kinds);
check(notes.find((n) => n.type === "mention")?.status?.id === mention.id, "the mention's status", notes);
out.notifications = [...new Set(kinds)].sort();

// 7. More statuses, then the timelines page by page through Link headers.
for (let i = 1; i <= 4; i++) {
  await (i % 2 ? masto : other).v1.statuses.create({ status: `number ${i} #probe` });
}
async function pages(paginator) {
  const ids = [];
  let n = 0;
  for await (const page of paginator) {
    check(page.length <= 2, "a page longer than its limit", page.length);
    ids.push(...page.map((s) => s.id));
    if (++n > 20) {
      throw new Error("the pages do not end");
    }
  }
  return { ids, pages: n };
}
function checkPaged(name, paged, all) {
  check(new Set(paged.ids).size === paged.ids.length, `${name}: a status seen twice`, paged.ids);
  check(JSON.stringify(paged.ids) === JSON.stringify(all), `${name}: page by page is not the whole timeline, in order`,
    { paged: paged.ids, all });
  const sorted = [...all].sort((a, b) => (BigInt(a) < BigInt(b) ? 1 : -1));
  check(JSON.stringify(all) === JSON.stringify(sorted), `${name}: not newest first`, all);
}
const home = await pages(masto.v1.timelines.home.list({ limit: 2 }));
const homeAll = (await masto.v1.timelines.home.list({ limit: 40 })).map((s) => s.id);
check(homeAll.length >= 8, "home: too short", homeAll);
checkPaged("home", home, homeAll);
const pub = await pages(masto.v1.timelines.public.list({ limit: 2 }));
const pubAll = (await anon.v1.timelines.public.list({ limit: 40 })).map((s) => s.id);
checkPaged("public", pub, pubAll);
out.homePages = home.pages;
out.homeStatuses = home.ids.length;
out.publicStatuses = pub.ids.length;

// 8. Search: a hashtag and a word.
const byTag = await masto.v2.search.list({ q: "#probe", type: "statuses" });
check(byTag.statuses.length === 5 && byTag.statuses.some((s) => s.id === withImage.id), "search for #probe", byTag.statuses.map((s) => s.content));
const byWord = await masto.v2.search.list({ q: "question" });
check(byWord.statuses.map((s) => s.id).includes(theirs.id), "search for a word", byWord.statuses.map((s) => s.content));
const tags = await masto.v2.search.list({ q: "#probe", type: "hashtags" });
check(tags.hashtags.some((h) => h.name === "probe"), "search for hashtags", tags.hashtags);

// 9. Edit a status; its history has both versions.
const edited = await masto.v1.statuses.$select(reply.id).update({ status: `@${them.username} a better answer` });
check(edited.editedAt && edited.content.includes("a better answer"), "update", edited);
const history = await masto.v1.statuses.$select(reply.id).history.list();
check(history.length === 2 && history[0].content.includes("an answer") && history[1].content.includes("a better answer"),
  "history", history.map((h) => h.content));
out.history = history.length;

// 10. Delete (the text comes back, for "delete and redraft"); lists,
// which this server lacks, are an empty list, as Mastodon answers.
const removed = await masto.v1.statuses.$select(withImage.id).remove();
check(removed.text === "a picture #probe", "remove", removed);
const lists = await masto.v1.lists.list();
check(Array.isArray(lists) && lists.length === 0, "lists", lists);

// 11. Streaming: an update over WebSocket, then over server-sent events.
// The script keeps the sockets masto.js opens so that it can ping: the
// server answers a ping once it has handled the messages sent before
// it, so the pong says the subscription is in place.
const sockets = [];
class TrackedWebSocket extends WebSocket {
  constructor(...args) {
    super(...args);
    sockets.push(this);
  }
}
const instance = await anon.v2.instance.fetch();
check(instance.configuration.statuses.maxCharacters === 280, "instance", instance.configuration);
const streaming = createStreamingAPIClient({ streamingApiUrl: instance.configuration.urls.streaming,
  accessToken: token.accessToken, implementation: TrackedWebSocket, retry: false });
await within(3000, "WebSocket connection", streaming.prepare());
const events = streaming.public.subscribe()[Symbol.asyncIterator]();
let next = events.next(); // sends the subscription
await new Promise((resolve) => setTimeout(resolve, 0));
check(sockets.length === 1, "one WebSocket", sockets.length);
await within(3000, "WebSocket pong", new Promise((resolve) => {
  sockets[0].once("pong", resolve);
  sockets[0].ping();
}));
let t0 = Date.now();
const live = await masto.v1.statuses.create({ status: "live over a socket" });
for (;;) {
  const { value: ev, done } = await within(3000 - (Date.now() - t0), "WebSocket update", next);
  check(!done, "the WebSocket subscription ended", ev);
  if (ev.event === "update" && ev.payload.id === live.id) {
    break;
  }
  next = events.next();
}
out.websocketMs = Date.now() - t0;
streaming.close();

const abort = new AbortController();
const sse = await fetch(new URL("/api/v1/streaming/public", base), { signal: abort.signal,
  headers: { Authorization: `Bearer ${token.accessToken}` } });
check(sse.ok && sse.headers.get("content-type")?.startsWith("text/event-stream"), "SSE stream", sse.status);
const reader = sse.body.pipeThrough(new TextDecoderStream()).getReader();
t0 = Date.now();
const sseLive = await masto.v1.statuses.create({ status: "live over SSE" });
const got = await within(3000, "SSE update", (async () => {
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      throw new Error("the SSE stream ended");
    }
    buf += value;
    let end;
    while ((end = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, end);
      buf = buf.slice(end + 2);
      const event = block.match(/^event: (.*)$/m)?.[1];
      const data = block.match(/^data: (.*)$/m)?.[1];
      if (event === "update" && JSON.parse(data).id === sseLive.id) {
        return data;
      }
    }
  }
})());
check(JSON.parse(got).content.includes("live over SSE"), "SSE payload", got);
out.sseMs = Date.now() - t0;
abort.abort();

console.log(JSON.stringify(out));
