import type { ApiRoute } from '../contract/api_section.ts';

/**
 * The URL where the echo for a route is requested. Default: the route's
 * folder plus the echo path (`/strip/v1/me` -> `/strip/v1/.well-known/jwt-doctor/echo`),
 * so the request matches the same gateway prefix rule (nginx `location`,
 * ingress path) as the route itself and gets the same header treatment.
 *
 * @example echoPathFor({ path: '/strip/v1/me', ... }, '/.well-known/jwt-doctor/echo') // '/strip/v1/.well-known/jwt-doctor/echo'
 */
export function echoPathFor(route: Pick<ApiRoute, 'path' | 'echoPath'>, echoPath: string): string {
  if (route.echoPath !== undefined) return route.echoPath;
  const path = route.path.split('?')[0]!;
  const folder = path.slice(0, path.lastIndexOf('/'));
  return folder + echoPath;
}

/** Joins the API base URL and a route path (the base URL's own path is kept as a prefix). */
export function joinUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + path;
}
