import { TesseraError } from '../errors.js';
import { changeUsernameInputSchema, type ChangeUsernameInput } from '../schemas/account.js';
import { toUserView, type UserView } from '../schemas/user-view.js';
import type { Principal } from '../tokens/access-token.js';
import { parseInput } from '../validation.js';
import { chosenUsernameOf } from './registration.js';
import { authorize, resolveActor, translateStoreErrors, type ServiceDeps } from './service-deps.js';

/**
 * Changes the caller's username. The new name is normalised (NFKC, lower case), validated,
 * refused when reserved or a look-alike of a reserved name, and claimed by the database's
 * unique index: of two users racing for one name, one wins and the other gets `username_taken`.
 *
 * @throws TesseraError `validation_failed` (`too_short`, `too_long`, `invalid_format`, `reserved`), `username_taken`, `unauthenticated`.
 */
export async function changeUsername(deps: ServiceDeps, principal: Principal, input: ChangeUsernameInput): Promise<UserView> {
  const username = chosenUsernameOf(deps, parseInput(changeUsernameInputSchema, input).username, 'username');
  const { user, actor } = await resolveActor(deps, principal);
  authorize(deps, actor, 'account:change-username');
  if (user!.username === username) return toUserView(user!);
  const updated = await translateStoreErrors(() => deps.store.users.update(user!.id, { username, updatedAt: deps.clock.now() }));
  if (!updated) throw new TesseraError('unauthenticated');
  return toUserView(updated);
}
