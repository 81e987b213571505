import { ROLES, type Role } from "../store/hub-records.ts";

/** True when `role` may do what `needed` may (roles are ordered viewer < operator < admin). */
export function roleAllows(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}
