import { configure } from '@solidjs/testing-library'
// happy-dom has no IndexedDB; idb-keyval runs on fake-indexeddb in unit tests.
import 'fake-indexeddb/auto'

// Lazy panels are transformed on first import: on a loaded machine that takes longer than
// testing-library's default 1 s wait for findBy* queries.
configure({ asyncUtilTimeout: 5000 })
