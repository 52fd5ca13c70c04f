import { describe, expect, it } from 'vitest'
import { labelProblem } from '../../src/console/profiles/describe'
import { exportProfiles } from '../../src/console/profiles/export'
import { importProfiles, parseProfilesText } from '../../src/console/profiles/import'
import { parseProfilesDocument } from '../../src/console/profiles/providers-file'
import {
  deleteSavedProfile,
  loadSavedProfiles,
  saveProfiles,
} from '../../src/console/profiles/saved'
import type { ListedProfile, Profile } from '../../src/core/profile/types'
import { indexedDbStore, memoryStore } from '../../src/core/storage/kv'

const acme: Profile = {
  id: 'acme',
  name: 'Acme',
  client_id: 'app',
  authorization_endpoint: 'https://id.acme.test/authorize',
  token_endpoint: 'https://id.acme.test/token',
  scope: '',
  pkce: true,
}
const other: Profile = { ...acme, id: 'other', name: 'Other' }

describe.each([
  ['IndexedDB', () => indexedDbStore('pkce-console:/test/')],
  ['memory', memoryStore],
])('saved profiles (%s)', (_name, make) => {
  const fresh = async () => {
    const store = make()
    await store.del('profiles')
    return store
  }

  it('replaces a profile with the same id in its place and appends new ones', async () => {
    const store = await fresh()
    await saveProfiles(store, [acme, other])
    await saveProfiles(store, [
      { ...acme, name: 'Acme 2' },
      { ...acme, id: 'third' },
    ])
    const saved = (await loadSavedProfiles(store)) as Profile[]
    expect(saved.map((p) => [p.id, p.name])).toEqual([
      ['acme', 'Acme 2'],
      ['other', 'Other'],
      ['third', 'Acme'],
    ])
  })

  it('deletes one profile only, and says when there was none', async () => {
    const store = await fresh()
    await saveProfiles(store, [acme, other])
    expect(await deleteSavedProfile(store, 'acme')).toBe(true)
    expect(await deleteSavedProfile(store, 'acme')).toBe(false)
    expect(((await loadSavedProfiles(store)) as Profile[]).map((p) => p.id)).toEqual(['other'])
  })

  it('imports the valid profiles and returns the refused ones with their reasons', async () => {
    const store = await fresh()
    const text = JSON.stringify({
      profiles: [acme, { ...other, token_endpoint: 'javascript:alert(1)' }],
    })
    const doc = await importProfiles(store, text)
    expect(doc.profiles.map((p) => p.id)).toEqual(['acme'])
    expect(doc.refused).toEqual([
      {
        id: 'other',
        errors: [
          expect.stringContaining('"token_endpoint" "javascript:alert(1)" uses the javascript:'),
        ],
        source: 'the imported text',
      },
    ])
    expect(((await loadSavedProfiles(store)) as Profile[]).map((p) => p.id)).toEqual(['acme'])
  })

  it('saves nothing from text that is not JSON', async () => {
    const store = await fresh()
    const doc = await importProfiles(store, '{ "profiles": [')
    expect(doc.refused[0]?.errors[0]).toMatch(/^the text is not valid JSON/)
    expect(await loadSavedProfiles(store)).toEqual([])
  })
})

describe('parseProfilesText', () => {
  it('reads a bare list as well as a document', () => {
    expect(parseProfilesText(JSON.stringify([acme])).profiles.map((p) => p.id)).toEqual(['acme'])
  })

  it('refuses a document without profiles', () => {
    expect(parseProfilesText('{ "profiles": [] }').refused).toEqual([
      { id: undefined, errors: ['the document holds no profiles'], source: 'the imported text' },
    ])
  })
})

describe('exportProfiles', () => {
  const listed: ListedProfile[] = [
    { profile: { ...acme, client_secret: 'hunter2' }, source: 'site' },
    { profile: other, source: 'user' },
    { profile: { ...acme, id: 'nexus-mods', name: 'Nexus Mods' }, source: 'builtin' },
  ]

  it('writes the site and user profiles, without secrets by default', () => {
    const result = exportProfiles(listed, false)
    expect(result).toMatchObject({ count: 2, secretsOmitted: 1 })
    expect(result.json).not.toContain('client_secret')
    expect(result.json).not.toContain('hunter2')
    const doc = parseProfilesDocument(JSON.parse(result.json), 'export')
    expect(doc.profiles).toEqual([acme, other])
    expect(doc.refused).toEqual([])
  })

  it('includes secrets only when asked', () => {
    const result = exportProfiles(listed, true)
    expect(result.secretsOmitted).toBe(0)
    expect(JSON.parse(result.json)).toEqual({
      profiles: [{ ...acme, client_secret: 'hunter2' }, other],
    })
  })

  it('never changes the listed profiles', () => {
    exportProfiles(listed, false)
    expect(listed[0]?.profile.client_secret).toBe('hunter2')
  })
})

describe('labelProblem', () => {
  it('names the field in words before the message', () => {
    expect(labelProblem('"token_endpoint" "x" is not an absolute URL')).toBe(
      'Token endpoint: "token_endpoint" "x" is not an absolute URL',
    )
    expect(labelProblem('"requests[2]".url is bad')).toBe('Requests: "requests[2]".url is bad')
    expect(labelProblem('something else')).toBe('something else')
  })
})
