// Live boards in the browser: snapshot + numbered deltas over a websocket (protocol: docs/live.md).
// Applies deltas in order, notices gaps (by seq and by the heartbeat's head), reconnects by itself
// with jittered backoff, and says how fresh the picture is: "updated 3 s ago" or "offline".

const QUIET_LIMIT_MS = 45000; // three heartbeats missed: the connection is dead even if it looks open

export class LiveBoards {
  constructor({ shop, boards, url, onChange = () => {}, onStatus = () => {}, onClock = () => {} }) {
    this.shop = shop;
    this.names = boards;
    this.url = url || `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/live`;
    this.onChange = onChange;
    this.onStatus = onStatus;
    this.onClock = onClock; // the server's time, from every heartbeat
    this.boards = {}; // name -> {epoch, seq, state}
    this.ws = null;
    this.nextId = 1;
    this.attempt = 0;
    this.lastMessageAt = 0;
    this.lastChangeAt = 0;
    this.timer = null;
  }

  start() {
    this.connect();
    window.addEventListener("online", () => this.reconnectNow());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.reconnectNow();
    });
    setInterval(() => this.watch(), 1000);
    return this;
  }

  get online() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  // "N s ago" for the pages: since the last change, or since the last word from the server.
  status() {
    const since = this.lastChangeAt ? Math.round((Date.now() - this.lastChangeAt) / 1000) : null;
    return { online: this.online, secondsSinceUpdate: since, refused: Boolean(this.refused) && !this.online };
  }

  send(message) {
    if (this.online) this.ws.send(JSON.stringify({ id: this.nextId++, ...message }));
  }

  connect() {
    clearTimeout(this.timer);
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.lastMessageAt = Date.now();
      const resume = {};
      for (const [name, b] of Object.entries(this.boards)) resume[name] = { epoch: b.epoch, seq: b.seq };
      this.send({ type: "subscribe", shop: this.shop, boards: this.names, resume });
      this.onStatus(this.status());
    };
    ws.onmessage = (event) => this.receive(JSON.parse(event.data));
    ws.onclose = (event) => {
      // 4401/4403: the server refused this display (signed out, or its kiosk token revoked).
      this.refused = event.code === 4401 || event.code === 4403;
      if (this.ws === ws) this.scheduleReconnect();
    };
    ws.onerror = () => ws.close();
  }

  scheduleReconnect() {
    this.ws = null;
    this.onStatus(this.status());
    const delay = (this.refused ? 60000 : Math.min(15000, 500 * 2 ** this.attempt)) * (0.5 + Math.random());
    this.attempt += 1;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  reconnectNow() {
    if (this.ws && (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)) return;
    this.attempt = 0;
    this.connect();
  }

  watch() {
    if (this.online && Date.now() - this.lastMessageAt > QUIET_LIMIT_MS) {
      const dead = this.ws;
      this.ws = null;
      dead.close();
      this.scheduleReconnect();
    }
    this.onStatus(this.status());
  }

  resync(name) {
    const b = this.boards[name];
    this.send({ type: "subscribe", shop: this.shop, boards: [name], resume: b ? { [name]: { epoch: b.epoch, seq: b.seq } } : {} });
  }

  receive(msg) {
    this.lastMessageAt = Date.now();
    if (msg.type === "snapshot") {
      this.boards[msg.board] = { epoch: msg.epoch, seq: msg.seq, state: msg.state };
      this.changed(msg.board);
    } else if (msg.type === "delta") {
      const b = this.boards[msg.board];
      if (!b || msg.epoch !== b.epoch) return this.resync(msg.board);
      if (msg.seq <= b.seq) return; // already contained in what we have
      if (msg.seq !== b.seq + 1) return this.resync(msg.board); // a gap: ask for what we missed
      Object.assign(b.state, msg.changes.set || {});
      for (const key of msg.changes.del || []) delete b.state[key];
      b.seq = msg.seq;
      this.changed(msg.board);
    } else if (msg.type === "heartbeat") {
      // Acknowledged: the server cuts off a display that has stopped reading (its messages pile up unseen).
      const heads = {};
      for (const [name, b] of Object.entries(this.boards)) heads[name] = b.seq;
      this.send({ type: "ack", heads });
      if (msg.now) this.onClock(msg.now);
      for (const [name, head] of Object.entries(msg.heads)) {
        const b = this.boards[name];
        if (b && (head.epoch !== b.epoch || head.seq > b.seq)) this.resync(name);
      }
    } else if (msg.type === "error") {
      console.warn("live:", msg.code, msg.message);
    }
  }

  changed(name) {
    this.lastChangeAt = Date.now();
    this.onChange(name, this.boards[name].state);
    this.onStatus(this.status());
  }
}

// Words for the status line: zh-CN first, English beside it.
export function statusText({ online, secondsSinceUpdate }) {
  if (!online) return "离线 Offline" + (secondsSinceUpdate === null ? "" : ` · ${secondsSinceUpdate} 秒前更新 updated ${secondsSinceUpdate} s ago`);
  if (secondsSinceUpdate === null) return "连接中 Connecting";
  return `实时 Live · ${secondsSinceUpdate} 秒前更新 updated ${secondsSinceUpdate} s ago`;
}
