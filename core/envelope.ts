import { statusMessage } from './errors.js'

export interface SuccessEnvelope<T = unknown> {
  status: true
  code: number
  message: string
  data: T
}

export interface FailureEnvelope {
  status: false
  code: number
  message: string
  error: string
}

export type Envelope<T = unknown> = SuccessEnvelope<T> | FailureEnvelope

export function success<T>(message: string, data: T, code = 200): SuccessEnvelope<T> {
  return { status: true, code, message, data }
}

export function failure(code: number, error: string): FailureEnvelope {
  return { status: false, code, message: statusMessage(code), error }
}
