"use client";

import type { List } from "@taskvault/contract/lists";
import { createContext } from "react";

/** The user's lists, for pickers deep in the todo list (the details form) without prop threading. */
export const ListsContext = createContext<List[]>([]);
