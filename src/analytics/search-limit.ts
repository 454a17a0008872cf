/** Results one search returns at most (CLI and HTTP): snippets are made for every one of them. */
export const maxSearchLimit = 500;
