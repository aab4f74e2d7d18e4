/** Holds the random token of a sign-in that is waiting for its second factor. */
export const SIGN_IN_COOKIE = 'keydesk.sign-in';
