// The API explorer page: GraphiQL with a login bar. Every request carries `Authorization: Bearer <token>`
// once the user logged in (or pasted a token), so introspection, docs and autocompletion work.
import { GraphiQL } from "graphiql";
import { getOperationAST, parse } from "graphql";
import { createClient } from "graphql-ws";
import { useCallback, useEffect, useMemo, useState } from "react";
import { createRoot } from "react-dom/client";
import "graphiql/style.css";
import "./explorer.css";

const ASSETS = "/explorer/assets/";
globalThis.MonacoEnvironment = {
  getWorker(_id, label) {
    const name = label === "json" ? "json" : label === "graphql" ? "graphql" : "editor";
    return new Worker(`${ASSETS}${name}.worker.js`);
  },
};

// The page's CSP admits <style> elements only with this response's nonce; Monaco writes its theme into
// <style> elements it creates, so they get the nonce as they are made.
const root = document.getElementById("explorer");
const styleNonce = root.dataset.styleNonce;
const createElement = document.createElement.bind(document);
document.createElement = (tagName, options) => {
  const element = createElement(tagName, options);
  if (styleNonce && String(tagName).toLowerCase() === "style") element.nonce = styleNonce;
  return element;
};

const settings = JSON.parse(document.getElementById("explorer-settings").textContent);
const TOKEN_KEY = "crm-explorer-token";
const LOGIN = "mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { token } }";

async function post(body, token) {
  const headers = { "content-type": "application/json", accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(settings.endpoint, { method: "POST", headers, body: JSON.stringify(body) });
  return response.json();
}

// Subscriptions go over WebSocket on the same path (graphql-ws), the token in the connection_init payload.
const socketUrl = new URL(settings.endpoint, window.location.href);
socketUrl.protocol = socketUrl.protocol === "https:" ? "wss:" : "ws:";

function isSubscription({ query, operationName }) {
  try {
    return getOperationAST(parse(query), operationName)?.operation === "subscription";
  } catch {
    return false; // the server words the syntax error
  }
}

function LoginBar({ token, onToken }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [pasted, setPasted] = useState("");
  const [message, setMessage] = useState("");

  async function logIn(event) {
    event.preventDefault();
    setMessage("Logging in…");
    const result = await post({ query: LOGIN, variables: { email, password } });
    const newToken = result.data?.login?.token;
    if (newToken) {
      setMessage(`Logged in as ${email}`);
      setPassword("");
      onToken(newToken);
    } else {
      setMessage(result.errors?.[0]?.message ?? "Login failed");
    }
  }

  function usePasted(event) {
    event.preventDefault();
    const value = pasted.trim().replace(/^Bearer\s+/i, "");
    if (!value) return;
    setMessage("Using the pasted token");
    setPasted("");
    onToken(value);
  }

  return (
    <header className="explorer-bar">
      <strong className="explorer-title">CRM API explorer</strong>
      <form className="explorer-login" onSubmit={logIn} aria-label="Log in">
        <input name="email" type="email" placeholder="e-mail" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
        <input name="password" type="password" placeholder="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        <button type="submit">Log in</button>
      </form>
      <form className="explorer-token" onSubmit={usePasted} aria-label="Use a token">
        <input name="token" placeholder="or paste a bearer token" value={pasted} onChange={(e) => setPasted(e.target.value)} />
        <button type="submit">Use token</button>
      </form>
      {token ? (
        <button type="button" onClick={() => { setMessage("Logged out"); onToken(""); }}>Log out</button>
      ) : null}
      <span className="explorer-status" role="status">{message || (token ? "Token set" : "Not logged in: introspection needs a token")}</span>
      {settings.demoUsers.length ? (
        <details className="explorer-demo">
          <summary>Demo users (password: {settings.demoPassword})</summary>
          <ul>
            {settings.demoUsers.map((user) => (
              <li key={user.email}>
                <button type="button" className="explorer-demo-user" onClick={() => { setEmail(user.email); setPassword(settings.demoPassword); }}>
                  {user.email}
                </button>{" "}
                {user.name}, {user.role}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </header>
  );
}

function Explorer() {
  const [token, setToken] = useState(() => sessionStorage.getItem(TOKEN_KEY) ?? "");
  const onToken = useCallback((value) => {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
    setToken(value);
  }, []);
  const socket = useMemo(() => (token ? createClient({ url: socketUrl.href, connectionParams: { authorization: `Bearer ${token}` }, lazy: true }) : null), [token]);
  useEffect(() => () => socket?.dispose(), [socket]);
  const fetcher = useMemo(() => (params) => (socket && isSubscription(params) ? socket.iterate(params) : post(params, token)), [socket, token]);
  return (
    <div className="explorer">
      <LoginBar token={token} onToken={onToken} />
      <div className="explorer-graphiql">
        {/* a new token means a new schema to introspect: remount (no token: no introspection, it would be refused) */}
        <GraphiQL key={token || "anonymous"} fetcher={fetcher} defaultQuery={settings.defaultQuery} schema={token ? undefined : null} />
      </div>
    </div>
  );
}

createRoot(root).render(<Explorer />);
