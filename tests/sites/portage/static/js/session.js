// Who is signed in, and how many things are in the cart (the header shows it).
export const session = { member: null, cartCount: 0 };
