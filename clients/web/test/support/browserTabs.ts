// localStorage as the browser shares it between tabs of one origin: one area,
// a Storage per tab, and a "storage" event in every *other* tab after each
// change (never in the tab that made it), as the HTML standard says. Only
// for the store's unit tests; the real thing is tested in Chromium.

import type { StorageEventSource } from "../../src/store/authStore.js";
import type { StorageLike } from "../../src/store/persistedSession.js";

type Listener = (event: { key: string | null }) => void;

export class SharedStorageArea {
  readonly values = new Map<string, string>();
  private readonly tabs = new Set<BrowserTab>();

  openTab(): BrowserTab {
    const tab = new BrowserTab(this);
    this.tabs.add(tab);
    return tab;
  }

  changed(by: BrowserTab, key: string | null): void {
    for (const tab of this.tabs) if (tab !== by) tab.deliver(key);
  }
}

export class BrowserTab implements StorageEventSource {
  private readonly listeners = new Set<Listener>();
  /** Events wait here until deliverEvents() when `holdEvents` is set (a slow tab). */
  holdEvents = false;
  private held: (string | null)[] = [];
  readonly storage: StorageLike;

  constructor(private readonly area: SharedStorageArea) {
    this.storage = {
      getItem: (key) => area.values.get(key) ?? null,
      setItem: (key, value) => {
        if (area.values.get(key) === value) return;
        area.values.set(key, value);
        area.changed(this, key);
      },
      removeItem: (key) => {
        if (area.values.delete(key)) area.changed(this, key);
      },
    };
  }

  addEventListener(_type: "storage", listener: Listener): void {
    this.listeners.add(listener);
  }

  removeEventListener(_type: "storage", listener: Listener): void {
    this.listeners.delete(listener);
  }

  deliver(key: string | null): void {
    if (this.holdEvents) this.held.push(key);
    else for (const listener of [...this.listeners]) listener({ key });
  }

  deliverEvents(): void {
    const held = this.held;
    this.held = [];
    for (const key of held) for (const listener of [...this.listeners]) listener({ key });
  }

  /** localStorage.clear() in this tab. */
  clearAll(): void {
    this.area.values.clear();
    this.area.changed(this, null);
  }
}
