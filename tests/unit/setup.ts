// happy-dom has no IndexedDB; idb-keyval runs on fake-indexeddb in unit tests.
import 'fake-indexeddb/auto'
