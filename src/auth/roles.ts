export { type CustomerCaller, type Principal, ROLES, type Role } from '../platform/http/caller.js';
