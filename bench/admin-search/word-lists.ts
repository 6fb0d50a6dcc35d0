/**
 * Word lists the seed draws names from. Earlier entries are drawn more often (see
 * `seed-users.ts`), so a few names are common and the tail is rare, as in a real user base.
 */
export const firstNames: readonly string[] = [
  'James', 'Maria', 'John', 'Anna', 'Michael', 'Sarah', 'David', 'Laura', 'Daniel', 'Emma',
  'Robert', 'Julia', 'Thomas', 'Sophie', 'Mark', 'Elena', 'Paul', 'Lisa', 'Peter', 'Nina',
  'Andrew', 'Hannah', 'Lucas', 'Clara', 'Martin', 'Martina', 'Alex', 'Olivia', 'Chris', 'Mia',
  'Kevin', 'Chloe', 'Brian', 'Grace', 'Samuel', 'Alice', 'Joseph', 'Ella', 'Matthew', 'Lucy',
  'Ryan', 'Isabel', 'Adam', 'Leah', 'Oliver', 'Zoe', 'Noah', 'Amelia', 'Liam', 'Ava',
  'Ethan', 'Charlotte', 'Jacob', 'Harper', 'Logan', 'Evelyn', 'Mason', 'Abigail', 'Aiden', 'Emily',
  'Jack', 'Ruby', 'Leo', 'Ivy', 'Felix', 'Freya', 'Hugo', 'Ines', 'Mateo', 'Lena',
  'Omar', 'Amira', 'Yusuf', 'Layla', 'Arjun', 'Priya', 'Rahul', 'Ananya', 'Wei', 'Mei',
  'Hiroshi', 'Yuki', 'Kenji', 'Sakura', 'Jin', 'Seo-yeon', 'Diego', 'Lucia', 'Pablo', 'Carmen',
  'Kwame', 'Amara', 'Chidi', 'Ngozi', 'Tariq', 'Fatima', 'Sven', 'Ingrid', 'Lars', 'Astrid',
  'Mikhail', 'Olga', 'Dmitri', 'Tatiana', 'Pierre', 'Camille', 'Giulia', 'Matteo', 'Aurelio', 'Xiomara',
];

export const lastNames: readonly string[] = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Martinez', 'Lopez',
  'Wilson', 'Anderson', 'Taylor', 'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White',
  'Harris', 'Clark', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott',
  'Mueller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Hoffmann', 'Koch',
  'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Dubois', 'Durand', 'Lefebvre', 'Moreau', 'Laurent',
  'Nguyen', 'Tran', 'Kim', 'Park', 'Chen', 'Wang', 'Li', 'Zhang', 'Liu', 'Yamamoto',
  'Tanaka', 'Suzuki', 'Sato', 'Kowalski', 'Nowak', 'Novak', 'Horvat', 'Jensen', 'Hansen', 'Nielsen',
  'Larsen', 'Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Eriksson', 'Petrov', 'Ivanov', 'Smirnov', 'Popescu',
  'Silva', 'Santos', 'Oliveira', 'Pereira', 'Costa', 'Fernandes', 'Goncalves', 'Ramos', 'Herrera', 'Castillo',
  'Khan', 'Ali', 'Ahmed', 'Hussain', 'Singh', 'Patel', 'Sharma', 'Gupta', 'Reddy', 'Iyer',
  'Okafor', 'Adeyemi', 'Mensah', 'Abebe', 'Kamau', 'Otieno', 'Haddad', 'Nasser', 'Cohen', 'Levi',
  'OBrien', 'Murphy', 'Kelly', 'Byrne', 'Walsh', 'MacDonald', 'Campbell', 'Stewart', 'Fraser', 'Grant',
];

/** Surnames only a handful of users have: the "rare" searches. */
export const rareLastNames: readonly string[] = [
  'Xylander', 'Quackenbush', 'Zeitgeist', 'Vukovich', 'Wojciechowski', 'Yeboah', 'Zabaleta', 'Quirke', 'Ytterberg', 'Zwicky',
  'Oyelaran', 'Pfaffenberger', 'Rzepecki', 'Szczepanski', 'Thistlewood', 'Uzunov', 'Vanterpool', 'Wickramasinghe', 'Xanthopoulos', 'Zoubir',
];

/** Mail domains, most common first; the company ones are the tail. */
export const mailDomains: readonly string[] = [
  'gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'hotmail.com', 'proton.me', 'gmx.de', 'web.de', 'aol.com', 'mail.ru',
  'fastmail.com', 'hey.com', 'acme.com', 'contoso.com', 'initech.net', 'globex.org', 'umbrella.co', 'hooli.xyz', 'northwind.io', 'wayne-enterprises.com',
];

export const cities: readonly string[] = [
  'London', 'Berlin', 'Paris', 'Madrid', 'Lisbon', 'Amsterdam', 'New York', 'San Francisco', 'Toronto', 'Sydney',
  'Tokyo', 'Seoul', 'Singapore', 'Bangalore', 'Lagos', 'Nairobi', 'Cairo', 'Sao Paulo', 'Mexico City', 'Warsaw',
];
