/** True when the scope asks for OpenID Connect, so a nonce is sent (OIDC Core §3.1.2.1). */
export function wantsOpenId(scope: string): boolean {
  return scope.split(' ').includes('openid')
}
