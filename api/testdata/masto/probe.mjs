// Drives the server with masto.js, as a Mastodon app would: every call
// below is one the library makes for its users. Prints what it saw as JSON.
import { createRestAPIClient } from "masto";
const masto = createRestAPIClient({ url: process.env.BASE, accessToken: process.env.TOKEN });
const out = {};
out.instance = (await masto.v2.instance.fetch()).configuration.statuses.maxCharacters;
out.me = (await masto.v1.accounts.verifyCredentials()).username;
const st = await masto.v1.statuses.create({ status: "hello from masto #js" });
out.posted = st.id;
out.fav = (await masto.v1.statuses.$select(st.id).favourite()).favourited;
const home = await masto.v1.timelines.home.list({ limit: 5 });
out.home = home.map((s) => s.id);
out.notifications = (await masto.v1.notifications.list()).length;
const found = await masto.v2.search.list({ q: "#js" });
out.search = found.statuses.map((s) => s.id);
out.context = (await masto.v1.statuses.$select(st.id).context.fetch()).descendants.length;
const del = await masto.v1.statuses.$select(st.id).remove();
out.deletedText = del.text;
try { await masto.v1.lists.list(); out.lists = "ok"; } catch (e) { out.lists = e.statusCode ?? String(e); }
console.log(JSON.stringify(out));
