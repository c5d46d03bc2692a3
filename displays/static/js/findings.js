// Extra work (追加维修) on the consoles, from the live job board's finding cards ("f<id>"):
// the technician reports what he found (words and a photo from the phone's camera), the advisor
// prices it and sends the customer a link or records his answer from the phone, and every screen
// says who is waiting on whom ("等客户确认 12 分钟 · 陈静").

import { boot, h, label, t, api, notify, shop, now, minutesSince, hm } from "/static/js/page.js";

export const MAX_PHOTO_BYTES = 8_000_000; // the server's cap (board/services/photos.py)
const SKILLS = ["maintenance", "mechanical", "electrical", "alignment", "body", "paint"];
const BAY_KINDS = ["general_lift", "quick_service", "alignment", "body", "paint_booth"];
const OPEN = ["reported", "priced"];

document.head.append(h("link", { rel: "stylesheet", href: "/static/css/findings.css" }));

export function findingsOf(jpcb) {
  return Object.entries(jpcb || {}).filter(([k]) => k[0] === "f").map(([, v]) => v).sort((a, b) => a.id - b.id);
}

const money = (v) => `¥${Number(v || 0).toFixed(2)}`;

// --- who waits on whom ----------------------------------------------------------------------

function waitingWords(f) {
  const vars = { m: Math.max(0, Math.floor(minutesSince(f.since))), who: f.advisor };
  if (f.waiting_on === "customer") {
    if (f.link_expires_at && now() >= new Date(f.link_expires_at)) return label("finding.link_expired", vars);
    return label("finding.wait_customer", vars);
  }
  return label(f.status === "reported" ? "finding.wait_price" : "finding.wait_contact", vars);
}

// "等客户确认 12 分钟 · 陈静", kept current by the minute without a delta.
export function waiting(f) {
  if (!OPEN.includes(f.status)) return "";
  const node = h("span", { class: `wait-on on-${f.waiting_on}`, dataset: { waiting: f.id } }, waitingWords(f));
  node.finding = f;
  return node;
}

setInterval(() => {
  for (const node of document.querySelectorAll("[data-waiting]")) if (node.finding) node.replaceChildren(waitingWords(node.finding));
}, 15000);

function status(f) {
  return h("span", { class: `tag finding-${f.status}` }, t(`findingstatus.${f.status}`));
}

function decided(f) {
  if (!f.decided_at) return "";
  return h("span", { class: "en" }, t("finding.decided_by", { via: t(f.decided_via === "link" ? "finding.via_link" : "finding.via_phone"),
    who: f.decided_by, at: hm(f.decided_at) }));
}

export function photoUrl(f) {
  return `/api/shops/${encodeURIComponent(shop.code)}/findings/${f.id}/photo?v=${f.version}`;
}

// --- the technician ---------------------------------------------------------------------------

async function uploadPhoto(findingId, file) {
  if (file.size > MAX_PHOTO_BYTES) {
    notify({ zh: t("finding.photo_too_big"), en: "The photo is over 8 MB" }, "error");
    return false;
  }
  for (let attempt = 0; attempt < 5; attempt += 1) {
    let response = null;
    try {
      response = await fetch(`/api/shops/${encodeURIComponent(shop.code)}/findings/${findingId}/photo`, {
        method: "POST", headers: { "Content-Type": file.type || "application/octet-stream", "X-CSRF-Token": boot.csrf || "" }, body: file });
    } catch (err) {
      response = null;
    }
    if (response && response.ok) {
      notify({ zh: "照片已保存", en: "Photo saved" });
      return true;
    }
    if (response && response.status !== 503) {
      const e = (await response.json().catch(() => ({}))).error || {};
      notify({ zh: e.message_zh || e.message || "照片未保存", en: e.message || "The photo was not saved" }, "error");
      return false;
    }
    await new Promise((done) => setTimeout(done, 2000));
  }
  notify({ zh: "照片未保存,请稍后补拍", en: "The photo was not saved; add it again later" }, "error");
  return false;
}

function photoInput(id) {
  const input = h("input", { type: "file", accept: "image/*", capture: "environment", id, name: "photo" });
  input.addEventListener("change", () => {
    const file = input.files[0];
    if (file && file.size > MAX_PHOTO_BYTES) {
      notify({ zh: t("finding.photo_too_big"), en: "The photo is over 8 MB" }, "error");
      input.value = "";
    }
  });
  return input;
}

// The technician's button on his job, and its dialog: what was found, a photo, stop or carry on.
export function reportButton(job) {
  return h("button", { class: "btn warn report-finding", dataset: { act: "finding" }, onclick: () => reportDialog(job) }, label("finding.report"));
}

function reportDialog(job) {
  const text = h("textarea", { name: "text", id: "finding-text", rows: 3, maxlength: 1000, required: true });
  const photo = photoInput("finding-photo");
  // An oil change need not stop for brake pads: he carries on unless he says this job cannot.
  const carryOn = h("input", { type: "radio", id: "finding-carry-on", name: "stop_job", value: "carry_on", checked: true });
  const stopJob = h("input", { type: "radio", id: "finding-stop-job", name: "stop_job", value: "stop" });
  const dialog = h("dialog", { id: "finding", class: "finding-dialog" },
    h("form", { method: "dialog" }, h("b", {}, `${job.plate} ${job.operation}`),
      label("finding.what"), text, label("finding.photo"), photo,
      job.stage === "in_progress" ? h("fieldset", { class: "stop-question" }, h("legend", {}, label("finding.stop_question")),
        h("label", { class: "check" }, carryOn, " ", label("finding.carry_on")),
        h("label", { class: "check" }, stopJob, " ", label("finding.stop_job"))) : "",
      h("div", { class: "buttons" },
        h("button", { class: "btn quiet", value: "cancel", formnovalidate: true }, label("foreman.cancel")),
        h("button", { class: "btn warn", value: "ok", id: "finding-ok" }, label("finding.send")))));
  document.body.append(dialog);
  dialog.addEventListener("close", async () => {
    const file = photo.files[0];
    const words = text.value.trim();
    dialog.remove();
    if (dialog.returnValue !== "ok" || !words) return;
    const { ok, data } = await api("POST", "/findings", { job_id: job.id, text: words, carry_on: carryOn.checked });
    if (!ok) return;
    notify({ zh: t("finding.sent", { text: words.slice(0, 30) }), en: `Extra work reported: ${words.slice(0, 30)}` });
    if (file) await uploadPhoto(data.id, file);
  });
  dialog.showModal();
}

// Under the technician's job: what he reported on it and where it stands.
export function techLines(job, jpcb) {
  const mine = findingsOf(jpcb).filter((f) => f.job_id === job.id);
  return mine.map((f) => {
    const extra = [];
    if (!f.photo && f.status === "reported") { // once priced, a new picture would need a new price and link
      const input = photoInput(`finding-photo-${f.id}`);
      input.addEventListener("change", () => { if (input.files[0]) uploadPhoto(f.id, input.files[0]); });
      extra.push(h("label", { class: "btn quiet add-photo", dataset: { addPhoto: f.id } }, label("finding.add_photo"), input));
    }
    if (!OPEN.includes(f.status) && job.stage === "stopped" && job.stop_reason === "approval") extra.push(h("b", {}, label("finding.resume_hint")));
    return h("div", { class: "finding-line", dataset: { finding: f.id, status: f.status } },
      h("span", { class: "tag amber" }, t("finding.extra")), " ", f.text, " ", status(f), f.photo ? h("span", { class: "en" }, ` · ${t("finding.has_photo")}`) : "",
      " ", waiting(f), f.added_job_id ? h("span", { class: "en" }, ` · ${t("finding.added_job")}`) : "", ...extra);
  });
}

// --- the advisor ------------------------------------------------------------------------------

let redraw = () => {};
// The page draws again when something only this page knows changed (a link just sent).
export function onRedraw(fn) {
  redraw = fn;
}

const shown = new Map(); // finding id -> {version, node}: a half-typed price survives other screens' changes
const links = new Map(); // finding id -> {version, url}: the link is shown once, kept while the page is open

function field(name, node, key) {
  return h("label", { class: `f-${name}` }, h("span", { class: "k" }, label(key)), node);
}

function priceForm(f, jpcb) {
  const job = (jpcb || {})[`j${f.job_id}`] || {};
  const operation = h("input", { name: "operation", maxlength: 120, value: f.operation || f.text.slice(0, 120) });
  const skill = h("select", { name: "skill" }, ...SKILLS.map((s) => h("option", { value: s, selected: (f.skill || job.skill) === s }, t(`skill.${s}`))));
  const level = h("select", { name: "level" }, ...[1, 2, 3].map((n) => h("option", { value: n, selected: (f.level || job.level || 1) === n }, String(n))));
  const hours = h("input", { name: "est_hours", type: "number", min: 0.1, max: 200, step: 0.1, value: f.est_hours || 1 });
  const bay = h("select", { name: "bay_kind" }, ...BAY_KINDS.map((b) => h("option", { value: b, selected: (f.bay_kind || job.bay_kind) === b }, t(`baykind.${b}`))));
  const parts = h("input", { name: "parts_price", type: "number", min: 0, step: 1, value: f.parts_price || 0 });
  const sums = h("div", { class: "sums" });
  const count = () => {
    const labour = (Number(hours.value) || 0) * f.labour_rate;
    sums.replaceChildren(label("finding.labour", { h: hours.value || 0, rate: f.labour_rate, amount: labour.toFixed(2) }), " · ",
      h("b", {}, label("finding.total", { amount: (labour + (Number(parts.value) || 0)).toFixed(2) })));
  };
  hours.addEventListener("input", count);
  parts.addEventListener("input", count);
  count();
  const save = async () => {
    await api("POST", `/findings/${f.id}/price`, { version: f.version, operation: operation.value.trim(), skill: skill.value,
      level: Number(level.value), est_hours: Number(hours.value), bay_kind: bay.value, parts_price: Number(parts.value) || 0 });
  };
  return h("div", { class: "price-form" },
    field("operation", operation, "finding.operation"), field("skill", skill, "finding.skill"), field("level", level, "finding.level"),
    field("hours", hours, "finding.hours"), field("bay", bay, "finding.bay_kind"), field("parts", parts, "finding.parts"),
    sums, h("div", { class: "line" }, h("button", { class: "btn", dataset: { do: "price" }, onclick: save }, label("finding.price"))));
}

async function sendLink(f) {
  const { ok, data } = await api("POST", `/findings/${f.id}/link`, { version: f.version });
  if (!ok) return;
  links.set(f.id, { version: data.finding.version, url: `${location.origin}${data.url}` });
  redraw();
}

function linkBox(f) {
  const sent = links.get(f.id);
  if (!sent || sent.version !== f.version) return "";
  const input = h("input", { readonly: true, value: sent.url, dataset: { link: f.id }, class: "link", onfocus: (e) => e.target.select() });
  const copy = async () => {
    input.select();
    try { await navigator.clipboard.writeText(sent.url); } catch (err) { document.execCommand && document.execCommand("copy"); }
    notify({ zh: t("finding.copied"), en: "Copied" });
  };
  return h("div", { class: "link-box" }, h("div", { class: "en" }, label("finding.link_once", { hours: 24 })),
    h("div", { class: "line" }, input, h("button", { class: "btn quiet", onclick: copy }, label("finding.copy"))));
}

function phoneDialog(f, decision) {
  const note = h("input", { name: "note", id: "phone-note", maxlength: 500 });
  const dialog = h("dialog", { id: "phone" },
    h("form", { method: "dialog" }, h("b", {}, `${f.plate} ${f.operation} ${money(f.total)}`),
      label(decision === "approve" ? "finding.phone_approve" : "finding.phone_decline"), label("finding.phone_note"), note,
      h("div", { class: "buttons" },
        h("button", { class: "btn quiet", value: "cancel" }, label("foreman.cancel")),
        h("button", { class: `btn ${decision === "approve" ? "go" : "stop"}`, value: "ok", id: "phone-ok" }, label("foreman.confirm")))));
  document.body.append(dialog);
  dialog.addEventListener("close", () => {
    if (dialog.returnValue === "ok") api("POST", `/findings/${f.id}/decision`, { version: f.version, decision, note: note.value.trim() });
    dialog.remove();
  });
  dialog.showModal();
}

function approvalItem(f, jpcb) {
  const actions = [];
  if (f.status === "priced") {
    actions.push(h("button", { class: "btn go", dataset: { do: "link" }, onclick: () => sendLink(f) }, label("finding.send_link")),
      h("button", { class: "btn quiet", dataset: { do: "approve" }, onclick: () => phoneDialog(f, "approve") }, label("finding.phone_approve")),
      h("button", { class: "btn quiet", dataset: { do: "decline" }, onclick: () => phoneDialog(f, "decline") }, label("finding.phone_decline")));
  }
  return h("div", { class: "item waiting finding", dataset: { finding: f.id, status: f.status } },
    h("div", { class: "line" }, h("b", {}, f.plate), f.model, h("span", { class: "en" }, f.ro), status(f), waiting(f)),
    h("div", { class: "finding-body" },
      f.photo ? h("a", { href: photoUrl(f), target: "_blank", rel: "noopener" }, h("img", { class: "thumb", src: photoUrl(f), alt: f.text })) : "",
      h("div", { class: "finding-text" }, f.text, h("div", { class: "en" }, f.found_by || ""))),
    priceForm(f, jpcb),
    f.status === "priced" ? h("div", { class: "line" }, h("b", {}, `${f.operation} ${money(f.total)}`), ...actions) : "",
    linkBox(f));
}

// The advisor's approvals: her customers' findings still open, each kept while its version stands.
export function approvals(jpcb, advisorId) {
  const open = findingsOf(jpcb).filter((f) => f.advisor_id === advisorId && OPEN.includes(f.status));
  const nodes = open.map((f) => {
    const known = shown.get(f.id);
    const linkDue = links.has(f.id) && links.get(f.id).version === f.version && !known?.node.querySelector("[data-link]");
    const fresh = !known || known.version !== f.version || linkDue;
    if (fresh) shown.set(f.id, { version: f.version, node: approvalItem(f, jpcb) });
    return shown.get(f.id).node;
  });
  for (const id of [...shown.keys()]) if (!open.some((f) => f.id === id)) shown.delete(id);
  return nodes;
}

// Declined work of her customers: for the follow-up call and the next visit.
export async function declined(advisorId) {
  const response = await fetch(`/api/shops/${encodeURIComponent(shop.code)}/findings?status=declined&advisor_id=${advisorId}&limit=30`);
  if (!response.ok) return null;
  return (await response.json()).map((f) => h("div", { class: "item walk_in", dataset: { finding: f.id, status: f.status } },
    h("div", { class: "line" }, h("b", {}, f.plate), f.model, h("span", { class: "en" }, f.ro), `${f.operation || f.text} ${money(f.total)}`),
    h("div", { class: "reasons" }, f.text, " · ", decided(f))));
}

// --- the foreman ------------------------------------------------------------------------------

// Every open finding on the floor, with who it waits on.
export function waitingList(jpcb) {
  return findingsOf(jpcb).filter((f) => OPEN.includes(f.status)).map((f) => h("div", { class: "item waiting waiting-item", dataset: { finding: f.id } },
    h("div", { class: "line" }, h("b", {}, f.plate), waiting(f)),
    h("div", { class: "what" }, f.operation || f.text, f.found_by ? h("span", { class: "en" }, ` · ${f.found_by}`) : "")));
}
