import type { ListedProfile } from '../core/tools'
import { useSession } from './context'

/** Asks before the user's own profile (or copy) and its tokens leave this browser. */
export function ProfileDelete(props: { entry: ListedProfile; onDone: (note?: string) => void }) {
  const [, session] = useSession()
  const onDelete = async () => {
    const { id, name } = props.entry.profile
    await session.deleteProfile(id)
    props.onDone(`Deleted your profile "${name}".`)
  }
  return (
    <div class="panel" role="group" aria-labelledby="delete-heading">
      <h3 id="delete-heading">Delete profile</h3>
      <p>
        {props.entry.overrides !== undefined
          ? `Delete your copy of “${props.entry.profile.name}” from this browser? The original it replaced comes back.`
          : `Delete your profile “${props.entry.profile.name}” and its tokens from this browser?`}
      </p>
      <div class="actions">
        <button type="button" onClick={() => void onDelete()}>
          Delete
        </button>
        <button type="button" class="secondary" onClick={() => props.onDone()}>
          Cancel
        </button>
      </div>
    </div>
  )
}
