/**
 * Nothing of better-sqlite3 may be garbage-collected. Node 24.19 made `node::ObjectWrap`'s
 * destructor remove an environment cleanup hook, which aborts the whole process ("Assertion
 * failed: (env) != nullptr") when V8 collects a better-sqlite3 12 Database or Statement outside a
 * JavaScript context, as an idle-time GC does. better-sqlite3 13 no longer uses ObjectWrap but
 * needs Node 22, and we run on Node 20 too. So every Database and Statement is kept here for the
 * life of the process: the store prepares each statement once (and one UPDATE per patch shape), so
 * this is a few dozen small objects per open file; a closed database keeps only its JS wrapper.
 * Setting a pragma goes through `exec`, which makes no Statement object at all.
 */
const kept: object[] = [];

export function keepAlive<T extends object>(native: T): T {
  kept.push(native);
  return native;
}
