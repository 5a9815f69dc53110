import type {} from "@fastify/cookie";
import type { FastifyReply, FastifyRequest } from "fastify";

import { roles, type Role } from "../config/config.js";
import type { Principal } from "./principal.js";

export const sessionCookie = "kw_session";
const sessionLifetimeMs = 8 * 60 * 60 * 1000;

interface SessionPayload {
  id: string;
  name: string;
  roles: Role[];
  oid?: string;
  upn?: string;
  exp: number;
}

/** Writes the signed session cookie (HttpOnly, SameSite=Lax, Secure outside the sandbox). */
export function startSession(reply: FastifyReply, principal: Principal, options: { secure: boolean; now: number }): void {
  const payload: SessionPayload = {
    id: principal.id,
    name: principal.name,
    roles: [...principal.roles],
    ...(principal.objectId === undefined ? {} : { oid: principal.objectId }),
    ...(principal.userPrincipalName === undefined ? {} : { upn: principal.userPrincipalName }),
    exp: options.now + sessionLifetimeMs,
  };
  reply.setCookie(sessionCookie, Buffer.from(JSON.stringify(payload)).toString("base64url"), {
    signed: true,
    httpOnly: true,
    sameSite: "lax",
    secure: options.secure,
    path: "/",
    maxAge: sessionLifetimeMs / 1000,
  });
}

export function endSession(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(sessionCookie, { path: "/", httpOnly: true, sameSite: "lax", secure });
}

/** The signed-in person, from a cookie whose signature verifies and that has not expired. */
export function sessionPrincipal(request: FastifyRequest, now: number): Principal | undefined {
  const raw = request.cookies[sessionCookie];
  if (raw === undefined) return undefined;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid || unsigned.value === null) return undefined;
  let payload: SessionPayload;
  try {
    payload = JSON.parse(Buffer.from(unsigned.value, "base64url").toString("utf8")) as SessionPayload;
  } catch {
    return undefined;
  }
  if (typeof payload.exp !== "number" || payload.exp < now || typeof payload.id !== "string" || !Array.isArray(payload.roles)) return undefined;
  const known = new Set<string>(roles);
  return {
    id: payload.id,
    name: typeof payload.name === "string" ? payload.name : payload.id,
    roles: new Set(payload.roles.filter((role): role is Role => known.has(role))),
    ...(typeof payload.oid === "string" ? { objectId: payload.oid } : {}),
    ...(typeof payload.upn === "string" ? { userPrincipalName: payload.upn } : {}),
    via: "session",
  };
}
