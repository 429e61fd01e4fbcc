import { InitialSchema1795440936853 } from './1795440936853-InitialSchema';

/** Every migration, oldest first. New ones are generated with `npm run migration:generate -- <Name>`. */
export const MIGRATIONS = [InitialSchema1795440936853];
