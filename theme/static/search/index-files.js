// The search index's files, fetched as queries need them and kept for the page's life: meta.json
// (the format's version, the first term of each shard, how many sections, how the other files
// are split), the shards of the term index (`terms-N.json`: term → postings), and the sections'
// pages and headings (`docs-N.json`) and texts (`text-N.json`). The files are described in
// site-gen/src/search/mod.rs.

/** The version of the files' format this script reads (site-gen/src/search/index.rs). */
const FORMAT_VERSION = 1;

export class IndexFiles {
  #folder;
  #site;
  #meta = null;
  #metaLoading = null;
  #files = new Map();

  /** The index in `folder` (a URL) of the site at `site` (a URL): pages outside it are refused. */
  constructor(folder, site) {
    this.#folder = folder;
    this.#site = site;
  }

  /** meta.json, once `loadMeta()` has resolved. */
  get meta() {
    return this.#meta;
  }

  /** Fetches meta.json (again, if it failed before); resolves with it. */
  loadMeta() {
    if (!this.#metaLoading) {
      this.#metaLoading = fetch(new URL("meta.json", this.#folder), { cache: "no-cache" })
        .then((response) => {
          if (!response.ok) throw new Error(`search/meta.json: HTTP ${response.status}`);
          return response.json();
        })
        .then((meta) => {
          if (meta.version !== FORMAT_VERSION) throw new Error("search/meta.json is of another version");
          this.#meta = meta;
          return meta;
        });
      this.#metaLoading.catch(() => { this.#metaLoading = null; });
    }
    return this.#metaLoading;
  }

  /** Shard `n` of the term index: { data: term → postings, keys: its terms, sorted }. */
  shard(n) {
    return this.#file(`terms-${n}.json`, (data) => ({ data, keys: Object.keys(data).sort() }));
  }

  /** Where `section` is: { url, title (the page's), heading (the section's, when not the title) }. */
  async describe(section) {
    const perFile = this.#meta.docs_per_file;
    const docs = await this.#file(`docs-${Math.floor(section / perFile)}.json`);
    const doc = docs.docs[section % perFile];
    const page = docs.pages[doc[0]];
    const url = new URL(page[0], this.#site);
    if (url.origin !== this.#site.origin) throw new Error("search/docs: a page outside the book");
    if (doc[1]) url.hash = doc[1];
    return { url: url.href, title: page[1], heading: doc[2] !== page[1] ? doc[2] : "" };
  }

  /** The text of `section`. */
  async text(section) {
    const perFile = this.#meta.texts_per_file;
    const texts = await this.#file(`text-${Math.floor(section / perFile)}.json`);
    return texts[section % perFile] || "";
  }

  /** The index's file `name`, fetched once (again if it failed) and read by `parse`. */
  #file(name, parse = (json) => json) {
    let loading = this.#files.get(name);
    if (!loading) {
      loading = fetch(new URL(`${name}?v=${encodeURIComponent(this.#meta.build)}`, this.#folder))
        .then((response) => {
          if (!response.ok) throw new Error(`search/${name}: HTTP ${response.status}`);
          return response.json();
        })
        .then(parse);
      this.#files.set(name, loading);
      loading.catch(() => this.#files.delete(name));
    }
    return loading;
  }
}
