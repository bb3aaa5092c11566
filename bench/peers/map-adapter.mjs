// A plain in-memory adapter for oidc-provider. Its built-in MemoryAdapter is an LRU of 1,000
// entries, which would evict the refresh tokens the benchmark pre-mints; this one keeps every
// entry until it expires. It keeps nothing on disk (the emulator does: see bench/README.md).
const store = new Map();
const grants = new Map();

const live = (entry) => (entry && (entry.exp === undefined || entry.exp > Date.now()) ? entry.payload : undefined);

export class MapAdapter {
  constructor(model) {
    this.model = model;
  }

  key(id) {
    return `${this.model}:${id}`;
  }

  async upsert(id, payload, expiresIn) {
    store.set(this.key(id), { payload, exp: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
    if (payload.grantId) {
      const members = grants.get(payload.grantId) ?? [];
      members.push(this.key(id));
      grants.set(payload.grantId, members);
    }
  }

  async find(id) {
    return live(store.get(this.key(id)));
  }

  async findByUid(uid) {
    for (const [key, entry] of store) if (key.startsWith(`${this.model}:`) && entry.payload.uid === uid) return live(entry);
    return undefined;
  }

  async findByUserCode(userCode) {
    for (const [key, entry] of store) if (key.startsWith(`${this.model}:`) && entry.payload.userCode === userCode) return live(entry);
    return undefined;
  }

  async consume(id) {
    const entry = store.get(this.key(id));
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id) {
    store.delete(this.key(id));
  }

  async revokeByGrantId(grantId) {
    for (const key of grants.get(grantId) ?? []) store.delete(key);
    grants.delete(grantId);
  }
}
