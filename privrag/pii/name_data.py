"""Hand-written gazetteers for the name recognizer: given names, surnames, and the words that
must not count as names on their own (English words that are also names, places, eponyms).

The lists are common names across the locales our users write in, written from general
knowledge; they are deliberately broad rather than complete, since the recognizer also accepts
unknown name-shaped words next to a known one. Every entry is stored case-folded.
"""

from __future__ import annotations


def word_set(*blocks: str) -> frozenset[str]:
    return frozenset(word.casefold() for block in blocks for word in block.split())


GIVEN_NAMES = word_set(
    # English-speaking countries
    """
    Aaron Abigail Adam Adrian Aidan Alan Albert Alex Alexander Alexandra Alexis Alfred Alice
    Alicia Alison Allison Amanda Amelia Amy Andrea Andrew Angela Angelina Anita Ann Anna Anne
    Annie Anthony Antonio Arthur Ashley Audrey Austin Ava Barbara Beatrice Benjamin Bernard
    Beth Bethany Betty Beverly Billy Blake Bobby Bonnie Brad Bradley Brandon Brenda Brendan
    Brent Brett Brian Bridget Brittany Brooke Bruce Bryan Caleb Cameron Carl Carla Carol
    Caroline Carolyn Carrie Casey Catherine Cathy Charles Charlie Charlotte Chelsea Cheryl Chloe
    Chris Christian Christina Christine Christopher Cindy Claire Clara Clarence Claudia Clifford
    Colin Connor Constance Courtney Craig Cynthia Damian Dan Dana Daniel Danielle Danny
    Darren David Deborah Debra Denise Dennis Derek Derrick Diana Diane Donald Donna Doris
    Dorothy Douglas Dustin Dylan Edith Edward Eileen Elaine Eleanor Elijah Elizabeth Ella Ellen
    Emily Emma Eric Erica Erin Ethan Eugene Evelyn Florence Frances Francis Fred Frederick
    Gabriel Gabrielle Gail Gary Gavin Geoffrey George Gerald Gillian Gladys Glen Glenn Gloria
    Gordon Gregory Hannah Harold Harriet Harry Harvey Heather Helen Henry Howard Ian Isaac
    Isabel Isabella Isabelle Jacob Jacqueline Jake Jamal James Jamie Jane Janet Janice Jason
    Jasmine Jean Jeffrey Jennifer Jenny Jeremy Jerome Jerry Jesse Jessica Jill Joan Joanna
    Jodi Joe Joel John Johnny Jonathan Jordan Joseph Joshua Joyce Judith Judy Julia Julian
    Julie Justin Karen Kate Katherine Kathleen Kathryn Katie Kay Keith Kelly Ken Kenneth Kevin
    Kim Kimberly Kyle Larry Laura Lauren Lawrence Leah Leon Leonard Leslie Liam Lillian Linda
    Lisa Logan Lois Lori Louis Louise Lucas Lucy Luke Lydia Madison Margaret Maria Marie
    Marilyn Marion Marjorie Martha Martin Marvin Mary Matthew Maureen Megan Melanie Melissa
    Michael Michelle Mildred Molly Monica Nancy Natalie Nathan Nathaniel Neil Nicholas Nicole
    Noah Norma Norman Olivia Oliver Oscar Owen Paige Pamela Patricia Patrick Paul Paula Peggy
    Peter Philip Phillip Phyllis Rachel Ralph Randall Randy Raymond Rebecca Regina Rhonda
    Richard Rita Robert Roberta Robin Roger Ronald Rosemary Ross Roy Russell Ruth Ryan Sally
    Samantha Samuel Sandra Sara Sarah Scott Sean Shane Shannon Sharon Shawn Sheila Shirley
    Sophia Sophie Stacy Stanley Stephanie Stephen Steven Stuart Susan Suzanne Sylvia Tammy
    Tanya Teresa Terrence Terri Terry Theodore Theresa Thomas Tiffany Timothy Tina Todd Tom
    Tony Tracy Travis Trevor Tyler Valerie Vanessa Vernon Veronica Victoria Vincent Virginia
    Walter Wanda Warren Wayne Wendy Wesley William Willie Yvonne Zachary Zoe
    Abby Ali Alfie Archie Amber Bella Bertie Callum Cerys Ciara Ciaran Cormac Declan Dermot
    Eamon Eoin Fergus Fiona Finn Freddie Freya Gemma Hamish Harper Hayley Imogen Isla Jayden
    Kayla Kieran Liam Lachlan Lewis Mia Niamh Oisin Orla Poppy Rhys Rory Seamus Shaun Siobhan
    Sinead Tegan Toby Ffion Aoife Bronwyn Eilidh Mhairi Aled Dylan Gareth Ieuan Emrys Alastair
    Angus Duncan Euan Ewan Kirsty Morag Callan Ashton Brayden Brianna Brittney Chad Cody Corey
    Dakota DeShawn Destiny Devon Dominic Elliott Everett Garrett Gianna Hailey Jaden Jalen
    Jared Jasper Jenna Kendra Kristen Kristin Kristina Latoya Lindsey Mackenzie Makayla Marcus
    Mariah Miranda Misty Morgan Nolan Raven Riley Shanice Shelby Sierra Skyler Spencer Tamika
    Tanisha Taylor Trent Tristan Tyrone Whitney Zane Maurice Derrick Desmond
    Edgar Edmund Elliot Franklin Herbert Hugh Lionel Lloyd Malcolm Marshall Mitchell Nigel
    Percy Quentin Reginald Rupert Sidney Simon Stewart Vaughan Wilfred Winston Beatrix
    Camilla Cecilia Cordelia Edwina Esther Eva Evangeline Georgina Harriett Henrietta Josephine
    Judith Lorraine Lucinda Marcia Mabel Matilda Maxine Miriam Naomi Nora Octavia Philippa
    Priscilla Rosalind Rosalie Sabrina Selina Serena Sybil Tabitha Thelma Ursula Vera Wilma
    Winifred Yolanda Zara
    """,
    # German, Austrian, Swiss, Dutch, Flemish
    """
    Achim Andreas Anke Annika Antje Arne Axel Bärbel Bastian Benedikt Bernd Bettina Birgit
    Björn Britta Burkhard Christa Christoph Claudia Dagmar Detlef Dieter Dirk Dörte Elke Emil
    Erika Ernst Esther Falk Felix Florian Frank Franz Friedrich Frieda Fritz Gabi Gerd Gerhard
    Gertrud Gisela Götz Gregor Gudrun Günter Günther Hanna Hannes Hans Hartmut Heidi Heike
    Heinrich Heinz Helga Helmut Henning Herbert Hermann Hildegard Holger Horst Ilse Inge
    Ingeborg Ingrid Jan Jannik Jens Joachim Johann Johanna Johannes Jonas Jörg Josef Jürgen
    Jutta Kai Karin Karl Karsten Katharina Kathrin Katja Klaus Konrad Kurt Lars Lea Leni
    Lena Leonie Lothar Ludwig Lukas Luise Maik Manfred Manuela Marcel Marianne Marko Markus
    Marlene Matthias Max Maximilian Meike Mia Moritz Nadine Niklas Nils Norbert Ole Otto
    Paulina Petra Rainer Ralf Regine Reinhard Renate Rolf Rüdiger Sabine Sandra Sascha
    Sebastian Siegfried Silke Simone Sönke Stefan Stefanie Steffen Susanne Sven Swen Tanja
    Thorsten Tim Tobias Torsten Udo Ulf Ulrich Ulrike Uta Ute Uwe Volker Walburga Waltraud
    Werner Wilhelm Wolfgang Yvonne Jürgen Käthe Leonhard Lieselotte Magdalena Mathilde Ottilie
    Annemarie Hannelore Rosemarie Theresia Veronika Wiebke Xaver Finja Frieda Emilia Matteo
    Anouk Bram Daan Dirk Joost Femke Fleur Floor Geert Gerrit Hendrik Henk Jeroen Joris Kees
    Koen Lieke Lotte Luuk Maarten Marijke Mees Niels Pieter Ruben Ruud Sanne Sem Sjoerd Stijn
    Thijs Tijmen Wouter Willem Wim Ilse Inge Jolanda Marieke Mirjam Nienke Roos Saskia
    Annelies Bart Bas Coen Dries Evi Ine Jef Jelle Jens Joke Karel Lien Lieven Maaike Marloes
    Myrthe Noor Pim Reinier Rik Rutger Tess Tom Tycho Ward Wietske Willemijn
    Hein
    """,
    # French, Belgian, Swiss, Québécois
    """
    Adèle Agathe Alain Alexandre Amélie Anaïs Antoine Arnaud Aurélie Aurélien Baptiste
    Benoît Bernadette Brigitte Bruno Camille Capucine Cédric Céline Chantal Charlotte Chloé
    Christophe Claude Clément Clémence Colette Corentin Damien Delphine Denis Didier Dominique
    Édouard Élodie Éloïse Émile Émilie Enzo Éric Étienne Fabien Fabrice Florent Florence
    François Françoise Frédéric Gaël Gaëlle Gaétan Gérard Ghislaine Gilles Guillaume
    Gustave Hélène Henri Hervé Hugo Inès Isabelle Jacques Jean Jeanne Jérémy Jérôme Joël
    Josiane Jules Julien Juliette Laetitia Laurence Laurent Léa Léon Léonie Lionel Louis
    Louise Luc Lucie Madeleine Manon Marc Marcel Margaux Marguerite Marianne Marine Martine
    Mathieu Mathis Mathilde Maxime Michel Michèle Monique Mylène Nathalie Nicolas Noémie Océane
    Olivier Pascal Pascale Patrice Perrine Philippe Pierre Quentin Raphaël Régis Rémi Renaud
    Romain Sandrine Sébastien Serge Solène Sophie Stéphane Stéphanie Sylvain Sylvie Théo
    Thibault Thierry Valentin Valérie Véronique Victor Vincent Virginie Xavier Yann Yannick
    Yves Zoé Axelle Bastien Cyril Dorothée Gilbert Hugues Jocelyne Loïc Maëlle Maël Marius
    Ophélie Pierrick Rodolphe Solange Thérèse Timothée Tristan Yvette Aurore Benoîte Sabine
    """,
    # Spanish, Portuguese, Latin American, Catalan, Basque, Galician
    """
    Adriana Agustín Alba Alberto Alejandra Alejandro Alfonso Alicia Álvaro Amparo Ana Andrés
    Ángel Ángela Antonia Antonio Araceli Arturo Beatriz Blanca Camila Carla Carlos
    Carmen Carolina Catalina Cecilia Claudia Concepción Consuelo Cristian Cristina Daniela
    Diego Dolores Eduardo Elena Emilio Encarnación Enrique Ernesto Esperanza Esteban Eugenia
    Fabiola Federico Felipe Fernanda Fernando Francisca Francisco Gabriela Gerardo Gloria
    Gonzalo Graciela Guadalupe Guillermo Gustavo Héctor Hernán Hugo Ignacio Inés Irene Isabel
    Ismael Jaime Javier Jesús Joaquín Jorge José Josefa Juan Juana Julia Julián Julio Laura
    Leonardo Leticia Lorena Lorenzo Lourdes Lucía Luis Luisa Manuel Manuela Marcela Marcos
    Margarita María Mariana Mario Marta Martín Martina Mateo Mercedes Miguel Milagros Mónica
    Nerea Nicolás Noelia Octavio Óscar Pablo Paola Patricia Paula Pedro Pilar Rafael Ramón
    Raquel Raúl Ricardo Roberto Rocío Rodrigo Rosa Rosario Salvador Samuel Santiago Sergio
    Silvia Sofía Soledad Susana Teresa Tomás Valentina Verónica Vicente Víctor Ximena Yolanda
    Iñigo Iñaki Aitor Ainhoa Itziar Jon Mikel Nekane Unai Xabier Jordi Montserrat Núria Pau
    Oriol Arnau Marc Laia Mireia Xavier Iker Aritz Leire Amaia Izaskun Begoña Edurne Maite
    Adão Afonso Alexandre Álvaro Amália Ana Antônio António Beatriz Bernardo Bruna Caio Carolina
    Conceição Cristiano Débora Diogo Duarte Eduarda Fábio Felipe Fernanda Filipa Filipe
    Gabriel Gonçalo Guilherme Gustavo Helena Henrique Inês Isabela Joana João Joaquim Júlia
    Larissa Leandro Letícia Luana Lucas Luís Luíza Luiza Manuela Marcelo Márcia Mariana
    Matheus Maurício Miguel Nuno Paulo Pedro Rafaela Renata Ricardo Rita Rodrigo Rui Sebastião
    Sérgio Simão Tânia Teresa Thiago Tiago Vinícius Vitória Martim
    Joaquin Yesenia Yadira Marisol Maricela Guadalupe Juanita Lupita
    """,
    # Italian
    """
    Alessandra Alessandro Alessia Alberto Andrea Angelo Annalisa Antonella Antonio Arianna
    Aurora Beatrice Benedetta Bruno Carlo Caterina Chiara Claudio Cristina Daniele Davide
    Debora Domenico Donatella Edoardo Elena Eleonora Emanuele Enrico Enzo Ettore Fabio
    Fabrizio Federica Federico Filippo Francesca Francesco Franco Gabriele Gaetano Giacomo
    Gianluca Gianni Giorgia Giorgio Giovanna Giovanni Giulia Giuliana Giulio Giuseppe
    Giuseppina Graziella Ilaria Laura Leonardo Lorenzo Luca Lucia Luciano Ludovica Luigi
    Marcello Marco Mariangela Mario Martina Massimo Matteo Mattia Maurizio Michela Michele
    Mirko Monica Nicola Nicoletta Paola Paolo Patrizia Piero Pietro Raffaele Renato Riccardo
    Rita Roberta Roberto Rosa Rossella Salvatore Samuele Sara Serena Sergio Silvia Simona
    Simone Sofia Stefania Stefano Tommaso Valentina Valerio Vincenzo Vittoria Vittorio
    Leone Maddalena Ornella Rocco Teodoro Umberto
    """,
    # Nordic and Baltic
    """
    Aino Anneli Antti Eero Eija Eino Elina Emilia Erkki Esa Hanna Harri Heikki Helmi Ilkka
    Jaana Janne Jari Jarmo Johanna Jouni Juha Juhani Jukka Jussi Kaarina Kaisa Kalle Kari
    Katja Kimmo Kirsi Lauri Leena Liisa Lempi Maija Marja Markku Marjatta Matti Merja Mika
    Mikko Minna Niina Niko Olli Outi Paavo Päivi Pekka Pentti Petri Pirjo Raili Riikka Risto
    Ritva Sanna Sari Seppo Simo Sirpa Taina Tapani Tapio Teemu Terhi Tiina Timo Tuomas Tuula
    Tuuli Ulla Ville Virpi Eila Onni Veikko Väinö Aleksi Joonas Topias
    Agnes Alva Anders Ann Annika Arvid Astrid Axel Birgitta Björk Bo Britt Dagny Ebba Einar
    Elin Elsa Emil Erik Erika Filip Freja Fredrik Frida Gösta Gudrun Gunnar Gustav Hampus
    Hanne Hedda Helge Henrik Hilda Hugo Ida Inga Inger Ingrid Ivar Jakob Jens Johan Jonas
    Jörgen Karin Karl Kerstin Kjell Klara Knut Kristian Kristina Lars Leif Linnea Lisbeth
    Lovisa Magnus Maja Malin Mads Mette Mikael Morten Nils Ola Olav Olof Oskar Per Pernille
    Ragnar Rasmus Roar Rune Sigrid Sigurd Siv Solveig Stig Sune Svea Sven Sverre Tage Terje
    Thor Tor Tora Torbjörn Torsten Trond Turid Tove Ulf Ulrika Vidar Viggo Vilhelm Åke Åsa
    Øystein Ørjan Søren Bjørn Kjersti Knud Lasse Mathilde Nikolaj Oluf Poul Steen
    Sune Troels Aksel Frederikke Kasper Mikkel Sofie Signe Thea
    Ólafur Guðrún Sigríður Jón Gunnar Halldór Kristín Helga Anna Einar Magnús Stefán Björn
    Tómas Ásgeir
    Katrín Þórunn Þór Auður Ragnheiður Sveinn Hjalti Dóra
    Andrus Kadri Kaja Kristjan Liis Mart Peeter Tõnu Triin Ülle Jānis Anna Ilze Ieva Inese
    Kārlis Laura Līga Andris Jonas Lina Rūta Tomas Vytautas Aušra Egidijus Giedrė
    """,
    # Polish, Czech, Slovak, Hungarian, Slovene, Croatian, Serbian, Bosnian, Romanian, Bulgarian
    """
    Agnieszka Aleksandra Andrzej Anna Barbara Bartosz Bogdan Bożena Danuta Dariusz Dorota
    Elżbieta Ewa Grażyna Grzegorz Halina Hanna Irena Jacek Jadwiga Jakub Janina Janusz Jarosław
    Jerzy Joanna Józef Julia Kacper Kamil Karolina Katarzyna Kazimierz Krystyna Krzysztof
    Leszek Łukasz Maciej Magdalena Małgorzata Marcin Marek Mariusz Marta Mateusz Michał Monika
    Natalia Oliwia Paweł Piotr Przemysław Rafał Renata Robert Ryszard Sławomir Stanisław
    Stefan Szymon Tadeusz Teresa Tomasz Urszula Wacław Wacława Wiesław Wiktoria Witold
    Wojciech Zbigniew Zdzisław Zofia Zuzanna Zygmunt Juliusz
    Alena Aleš Bohumil Dana Eva Františka František Hana Ivana Jana Jarmila Jaroslav Jaroslava
    Jindřich Jiří Josef Kateřina Ladislav Lenka Libor Lucie Ludmila Lukáš Marie Markéta Martin
    Michaela Milan Miloš Miroslav Ondřej Pavel Pavla Petr Radek Radka Růžena Stanislav Tereza
    Tomáš Václav Věra Vladimír Vojtěch Zdeněk Zuzana Ján Janka Juraj Marek Iva Silvia
    Ágnes Andor Attila Balázs Bence Csaba Csanád Dániel Dóra Ede Erzsébet Éva Ferenc Gábor
    Gergely György Gyula Ilona Imre István Judit Katalin Kinga Krisztina Krisztián László
    Levente Lilla Márta Mihály Nóra Péter Piroska Réka Sándor Szabina Tamás Tibor Tünde
    Zoltán Zsófia Zsuzsanna Júlia
    Aleksandar Bojan Branko Danijel Dejan Dragan Duško Goran Igor Ivan Ivo Jelena Josip Jovan
    Katarina Luka Marija Marko Mateja Milena Milica Miroslav Nada Nebojša Nikola Ognjen
    Predrag Sanja Slavko Snežana Srđan Stanko Stjepan Tamara Vesna Vladimir Zoran Željko
    Živko Emir
    Mirza Senad Selma Adnan Amra Nermin Jasmin Haris Elvir Damir Lejla Aida
    Andreea Bogdan Cătălin Cristian Dumitru Florin Gheorghe Ioana Ion Ionuț Mihai Mihaela
    Radu Răzvan Sorin Vasile Bianca Dimitar Georgi Hristo Ivanka Petar Stoyan Todor Yordan
    """,
    # Russian, Ukrainian, Belarusian, Caucasus, Central Asia
    """
    Aleksandr Aleksei Alexei Alla Anastasia Anatoly Andrei Anton Arkady Artem Boris Daria
    Dmitri Dmitry Ekaterina Elena Evgeny Fyodor Galina Gennady Grigory Igor Ilya Inna Irina
    Ivan Kirill Konstantin Ksenia Larisa Leonid Lyudmila Maksim Maxim Marina Mikhail Nadezhda
    Natalya Nikita Nikolai Oksana Oleg Olga Pavel Pyotr Roman Ruslan Sergei Sergey Sofya
    Stanislav Svetlana Tatiana Tatyana Timur Valentina Valery Vasily Viktor Vladimir Vladislav
    Vsevolod Vyacheslav Yaroslav Yekaterina Yelena Yevgeny Yulia Yuri Yury Zhanna
    Oleksandr Oleksiy Mykola Taras
    Bohdan Dmytro Yuliia Nataliia Olena Halyna Kateryna Andriy Volodymyr Vitaliy Yevhen
    Aigerim Aizhan Nursultan Daniyar Azamat Rustam Dilnoza Gulnara Zarina Shamil Magomed
    """,
    # Greek, Turkish, Arabic, Persian, Hebrew
    """
    Alexandros Anastasios Andreas Angeliki Athanasios Christos Dimitra Dimitrios Eleni
    Evangelos Georgios Ioannis Katerina Konstantinos Maria Nikolaos Panagiotis Paraskevi
    Sofia Spyros Stavros Theodoros Vasileios Vasiliki Yiannis Yannis Kostas Nikos Eleftheria

    Ahmet Ali Ayşe Aylin Burak Can Cem Deniz Ebru Elif Emine Emre Esra Fatma Gökhan Hakan
    Hasan Hüseyin İbrahim Kemal Mehmet Merve Murat Mustafa Nur Oğuz Ömer Özlem Selin Serkan
    Sevgi Tolga Tuğba Volkan Yasemin Yusuf Zeynep Barış Berk Cansu Ece Gül Kerem Onur Ozan
    Abdullah Abdul Ahmad Ahmed Aisha Amal Amina Amir Amira Anwar Asma Ayman Bilal Dalia
    Fadi Farah Farid Fatima Faisal Hamza Hana Hani Hassan Hussein Ibrahim Imran Iman Jamal
    Jamil Karim Khaled Khalid Layla Leila Lina Mahmoud Majid Malik Mariam Marwan Maryam Mohamed
    Mohammad Mohammed Muhammad Mona Mostafa Nabil Nadia Nasser Nour Omar Osama Rami Rana Rania
    Reem Salim Salma Sami Samir Sana Sara Tariq Walid Yasmin Yasmine Youssef Zainab Zaid Ziad
    Abdelkader Abdellah Rachid Said Yassine Mehdi Sofiane Karima Nadir Samira Hakim Soufiane
    Ali Arash Babak Dariush Farhad Farzaneh Golnar Hamid Hossein Leyla Mahsa Maryam Mehran
    Mina Nasrin Parisa Parviz Reza Saeed Shirin Yasaman
    Avi Ariel Chaim Dov Eitan Eli Ezra Gideon Ilan Itai Lior Moshe Noa Ofer Oren Rivka Ronit
    Shira Shlomo Tali Tamar Yael Yair Yitzhak Yosef Yonatan Zvi
    """,
    # South Asian
    """
    Aarav Aarti Abhishek Aditi Aditya Ajay Akash Akshay Alok Amit Amita Anand Anil Anita Anjali
    Ankit Ankita Anupam Anuradha Arjun Arun Aruna Aryan Ashok Ashwin Bhavna Deepa Deepak
    Deepika Dev Devendra Dinesh Divya Ganesh Gaurav Geeta Gita Gopal Harish Harsha Hemant
    Indira Isha Jaya Jayant Karan Karthik Kavita Kiran Krishna Kumar Lakshmi Madhu Mahesh
    Manish Manoj Meena Meera Mohan Mukesh Nandini Naveen Neha Nikhil Nisha Nitin Pooja
    Prakash Pranav Prashant Preeti Priya Priyanka Radha Rahul Raj Rajesh Rajiv Rakesh Ramesh
    Ravi Rekha Rohan Rohit Sachin Sandeep Sanjay Sanjeev Santosh Sarita Shalini Shankar
    Sharmila Shilpa Shiva Shreya Shruti Sneha Sonia Suman Sunil Sunita Suresh Sushma Swati
    Tanvi Tarun Uma Usha Varun Vijay Vikas Vikram Vinay Vinod Vishal Vivek Yash Yogesh
    Gurpreet Harpreet Jaspreet Manpreet Simran Navjot Baljit Kuldeep Amrit Ranjit
    Imtiaz Farhan Nusrat Rashid Shahid Tahir Zubair Ayesha Sadia Bushra Sabiha Nasreen
    Chamari Dilani Kasun Nuwan Sanjaya Tharindu Thilini Anura Arvind Sumit Ritu Sapna
    """,
    # East and Southeast Asian (romanised)
    """
    Bao Chen Cheng Fang Fei Gang Hao Hong Hua Hui Jian Jie Jing Jun Lan Lei Li Lian Lin Ling
    Mei Min Ming Ning Ping Qiang Qing Rui Shu Tao Ting Wei Wen Xia Xiao Xin Xiu Xue Yan Yang
    Yi Ying Yong Yu Yue Yun Zhen Zhi Zhong Jiahui Xiaoming Xiaoling Yiming Zhiwei Haoran
    Yuxuan Zihan Wenjun Jianhua Lihua Guang Chun Dong
    Ji-hoon Ji-woo Min-jun Seo-yeon Seo-jun Ha-eun Do-yun Ji-min Soo-jin Hye-jin Jae-won
    Jin Hyun Sung Young Eun Kyung Minho Jiwoo Jihoon Seojun Minseo Yuna Sunhee Jiyeon
    Aiko Akira Ayumi Daiki Emi Haruka Haruto Hikari Hina Hiroshi Hiroki Hitomi Kaito Kazuki
    Keiko Kenji Kenta Koji Makoto Mai Mariko Masaki Minoru Misaki Naoki Naoko Nobu Ren Riku
    Rin Ryo Ryota Sakura Satoshi Shota Sora Takashi Takumi Taro Tomoko Yoko Yuki Yuko
    Yumi Yuna Yusuke Yuto
    Anh Binh Duc Dung Hanh Hoa Hung Huong Khanh Lan Linh Long Mai Minh Nam Ngoc Phuong Quang
    Quynh Thanh Thao Thu Trang Trung Tuan Van Viet Vy
    Somchai Somsak Siriporn Malee Niran Apinya Arief Budi Dewi Putri Rizky Siti Sri Wahyu
    Agus Andi Eko Indah Joko Kurniawan Ratna Yudi Bayani Jose Juanito Maricel Rosalinda
    """,
    # African
    """
    Abimbola Ade Adebayo Adeola Adewale Ama Amara Chidi Chidinma Chinedu Chioma Chukwuemeka
    Emeka Folake Funmilayo Ifeoma Ikechukwu Kehinde Ngozi Nkechi Obinna Olumide Oluwaseun
    Segun Taiwo Tunde Uchenna Yetunde Kwame Kofi Kwabena Akosua Abena Yaw Kojo Efua Esi
    Amani Baraka Jabari Juma Wanjiru Wambui Kamau Njeri Otieno Achieng Odhiambo Makena Zawadi
    Thabo Sipho Themba Lerato Nomvula Thandiwe Zanele Mandla Bongani Lindiwe Palesa Tshepo
    Kagiso Naledi Mpho Tendai Tatenda Farai Chipo Rudo Nyasha Abebe Alemayehu Dawit Selam
    Tsegaye Yonas Hiwot Meron Aminata Awa Fatou Mamadou Moussa Ousmane Aissatou Cheikh
    Ibrahima Souleymane Modou Adama Kadiatou Mariama
    """,
)

SURNAMES = word_set(
    # English-speaking countries
    """
    Adams Alexander Allen Anderson Armstrong Arnold Atkinson Bailey Baker Barker Barnes
    Barnett Barrett Bates Bell Bennett Berry Black Bowen Bowers Bowman Boyd Boyle Bradley
    Brooks Brown Bryant Burke Burns Butler Byrne Campbell Carpenter Carr Carroll Carter
    Chambers Chapman Clark Clarke Cole Coleman Collins Cook Cooper Cox Crawford Cunningham
    Daniels Davidson Davies Davis Dawson Dean Dennis Dickson Dixon Doherty Donovan Doyle
    Duffy Duncan Dunn Edwards Elliott Ellis Evans Farrell Ferguson Fisher Fitzgerald
    Fletcher Flynn Ford Forster Foster Fowler Fox Fraser Freeman Fuller Gallagher Gardner
    Gibson Gilbert Gordon Graham Grant Graves Gray Green Griffin Griffiths Hall Hamilton
    Hansen Hardy Harper Harris Harrison Hart Harvey Hawkins Hayes Henderson Hill Hodge
    Holland Holmes Hopkins Howard Howell Hudson Hughes Hunt Hunter Jackson James Jenkins
    Johnson Johnston Jones Jordan Kelly Kennedy King Knight Lambert Lane Lawrence Lawson Lee
    Lewis Lloyd Long Lynch Macdonald Mackenzie Maclean Marshall Martin Mason Matthews McCarthy
    McDonald McKenzie Miller Mills Mitchell Moore Morgan Morris Morrison Murphy Murray Nash
    Nelson Newman Nolan Norris O'Brien O'Connor O'Neill Owen Owens Palmer Parker Parsons
    Patterson Payne Pearson Perkins Perry Peters Phillips Pierce Porter Powell Price Quinn
    Reed Reid Reynolds Rice Richards Richardson Riley Roberts Robertson Robinson Rogers Rose
    Ross Russell Ryan Sanders Saunders Scott Shaw Simmons Simpson Smith Spencer Stevens
    Stewart Stone Sullivan Sutton Taylor Thomas Thompson Thomson Tucker Turner Walker
    Wallace Walsh Ward Warren Watson Watts Webb Wells West Wheeler White Wilkinson
    Williams Williamson Willis Wilson Wood Woods Wright Young Abbott Ashworth Blackwood
    Brennan Cartwright Cavanagh Drummond Fairbanks Fitzpatrick Gallo Hathaway Holloway
    Kavanagh Lennox McAllister McGregor McIntyre Montgomery Murdock Nicholson
    Pemberton Prescott Radcliffe Rutherford Sinclair Thornton Townsend Whitfield
    Leblanc
    Begum
    """,
    # Irish/Scottish prefixed forms are handled by shape; German, Austrian, Swiss, Dutch
    """
    Bauer Baumann Beck Becker Behrens Berger Böhm Braun Brandt Busch Dietrich Engel Fischer
    Frank Franke Friedrich Fuchs Graf Groß Günther Haas Hahn Hartmann Heinrich Herrmann Hoffmann
    Hofmann Horn Huber Jäger Jung Kaiser Keller Klein Koch Köhler König Kraus Krause Krüger
    Kuhn Kühn Lang Lange Lehmann Lorenz Ludwig Maier Mayer Meier Meyer Möller Müller Neumann
    Otto Peters Pohl Richter Roth Sauer Schäfer Schmid Schmidt Schmitt Schmitz Schneider
    Scholz Schröder Schubert Schulte Schulz Schulze Schumacher Schuster Schwarz Seidel
    Simon Sommer Stein Vogel Vogt Voigt Wagner Walter Weber Weiß Werner Winkler Winter Wolf
    Wolff Ziegler Zimmermann Gruber Hofer Pichler Steiner Moser Mayr Brunner Wallner Egger
    Lechner Schwarz
    Bakker Boer Bos Brouwer Dekker Dijk Dijkstra Jansen Janssen Jong Kok Koster Meijer
    Mulder Peeters Postma Prins Smit Smits Veenstra Verhoeven Vermeulen Visser Vos Vries
    Wit Willems Claes Goossens Jacobs Maes Mertens Wouters Hendriks Kuiper Huisman
    """,
    # French
    """
    Andre Arnaud Aubert Barbier Bernard Bertrand Blanc Bonnet Boucher Bourgeois Boyer Brun
    Carpentier Caron Chevalier Clément Colin Dubois Dufour Dumont Dupont Durand Faure Fontaine
    Fournier François Gaillard Garnier Gauthier Girard Guérin Henry Joly Lambert Laurent
    Leclerc Lefebvre Lefèvre Legrand Lemaire Lemoine Leroy Lucas Marchand Martin Masson
    Mathieu Mercier Meunier Michel Morel Moreau Muller Noël Perrin Petit Picard Renard Robin
    Rousseau Roussel Roux Simon Thomas Vincent Thibault Gagnon
    Tremblay Bouchard Côté Pelletier Lévesque Bergeron Leclerc Desjardins Beaulieu
    """,
    # Spanish, Portuguese, Latin American
    """
    Aguilar Alonso Álvarez Blanco Cabrera Campos Cano Carvajal Castillo Castro Cortés Cruz
    Delgado Díaz Domínguez Estrada Fernández Flores Fuentes Gallego García Garrido Gil Gómez
    González Guerrero Gutiérrez Hernández Herrera Hidalgo Ibáñez Iglesias Jiménez León López
    Lozano Marín Márquez Marrero Martín Martínez Medina Méndez Molina Morales Moreno Muñoz
    Navarro Núñez Ortega Ortiz Pascual Peña Pérez Ramírez Ramos Reyes Rodríguez Romero Rubio
    Ruiz Salinas Sánchez Santana Santiago Santos Sanz Suárez Torres Vargas Vásquez Vasquez
    Vázquez Vega Velasco Zamora Montero Duran Soto Rojas Mendoza
    Contreras Sandoval Valdez Cervantes Gallardo Figueroa Espinoza Acosta Ponce Orozco
    Almeida Alves Andrade Araújo Barbosa Barros Cardoso Carvalho Correia Costa Dias Ferreira
    Fonseca Freitas Gomes Gonçalves Lima Lopes Machado Marques Martins Melo Mendes Monteiro
    Moreira Nascimento Nunes Oliveira Pereira Pinto Ribeiro Rocha Rodrigues Sousa Souza
    Silva Teixeira Vieira
    """,
    # Italian
    """
    Barbieri Bianchi Bruno Caruso Colombo Conti Costa De Luca Esposito Fabbri Ferrara Ferrari
    Fontana Galli Gallo Gentile Giordano Greco Leone Lombardi Lombardo Longo Mancini Marchetti
    Mariani Marino Martinelli Mazza Messina Monti Moretti Palumbo Pellegrini Rinaldi
    Ricci Rizzo Romano Rossi Russo Santoro Sartori Serra Testa Valentini Villa Vitale
    Rizzi Bassi Benedetti Cattaneo D'Angelo Farina Grasso Marini
    Orlando Parisi Sala Silvestri
    """,
    # Nordic and Baltic
    """
    Andersen Andersson Axelsson Berg Berggren Bergman Bergström Berglund Björklund Carlsson
    Christensen Dahl Eklund Eriksson Forsberg Gustafsson Hagen Halvorsen Hansson Haugen
    Hedlund Henriksen Holm Håkansson Isaksson Iversen Jakobsen Jensen Johannessen Johansen
    Johansson Jonsson Jørgensen Karlsen Karlsson Kristensen Kristiansen Larsen Larsson
    Lindberg Lindgren Lindholm Lindqvist Lindström Lund Lundberg Lundgren Madsen Magnusson
    Martinsson Mikkelsen Mortensen Nielsen Nilsen Nilsson Nordström Nyberg Olsen Olsson
    Pedersen Persson Petersen Pettersson Rasmussen Sandberg Sjöberg Solberg Sørensen Ström
    Strand Svensson Thomsen Åberg

    Aalto Ahonen Anttila Hämäläinen Heikkinen Heinonen Hiltunen Huttunen Jokinen Kallio
    Karjalainen Koivisto Korhonen Koskinen Laaksonen Lahtinen Laine Lehtonen Leinonen
    Lindroos Mäkelä Mäkinen Manninen Miettinen Mustonen Nieminen Niemi Ojala Pitkänen
    Räsänen Saarinen Salminen Salo Savolainen Toivonen Turunen Tuominen Virtanen
    Väisänen Ahtisaari
    Jónsdóttir Jónsson Sigurðsson Guðmundsson Magnússon Ólafsson


    Tamm Saar Sepp Mägi Kask Kukk Rebane Ilves Pärn Bērziņš Kalniņš Ozoliņš Kazlauskas
    Jankauskas Petrauskas
    """,
    # Central and Eastern Europe, Balkans
    """
    Adamczyk Adamski Borkowski Dąbrowski Dudek Grabowski Jankowski Jasiński Kaczmarek
    Kamińska Kamiński Kowalczyk Kowalska Kowalski Kozłowski Krawczyk Kwiatkowski Lewandowska
    Lewandowski Majewski Mazur Michalski Nowak Nowakowski Olszewski Pawlak Pawłowski Piotrowski
    Sikora Szymański Tomaszewski Wieczorek Wiśniewska Wiśniewski Wojciechowski Wójcik
    Woźniak Zając Zieliński Zielińska Król Wróbel Stępień Górski Rutkowski Baran Sobczak
    Novák Nováková Svoboda Svobodová Novotný Dvořák Černý Procházka Kučera Veselý Horák Němec
    Pokorný Marek Pospíšil Hájek Jelínek Král Růžička Beneš Fiala Sedláček Doležal
    Zeman Kolář Navrátil Čermák

    Nagy Kovács Tóth Szabó Horváth Varga Kiss Molnár Németh Farkas Balogh Papp Takács Juhász
    Lakatos Mészáros Oláh Simon Rácz Fekete Szilágyi Török Fehér Balázs Gál Kis Szűcs Kocsis
    Orsós Pintér Fodor Szalai Sipos Magyar Lukács Gulyás Bíró Király Katona László Jakab
    Bogdán Balog Sándor Boros Fazekas Kelemen Antal

    Horvat Kovačević Babić Marić Jurić Novak Knežević Vuković Marković Petrović Jovanović
    Nikolić Ilić Đorđević Stojanović Pavlović Popović Stanković Janković
    Živković Hodžić Hadžić
    Popescu Ionescu Popa Stan Dumitru Stoica Gheorghe Munteanu Constantin Dimitrov Georgiev
    Ivanov Petrov Todorov Nikolov
    """,
    # Russian, Ukrainian, Caucasus
    """
    Alekseev Bogdanov Bulgakov Fedorov Frolov Ivanova
    Kozlov Kuznetsov Lebedev Makarov Morozov Nikolaev
    Novikov Orlov Pavlov Petrova Popov Semenov Smirnov Sokolov Solovyov Sorokin Stepanov
    Vasiliev Volkov Zaitsev
    Melnyk Shevchenko Kovalenko Bondarenko Tkachenko
    Kravchenko Oliynyk Boyko Koval Lysenko Moroz
    """,
    # Greek, Turkish, Arabic, Persian, Hebrew
    """
    Papadopoulos Papadakis Georgiou Nikolaou Dimitriou Konstantinou Ioannou Christodoulou
    Papageorgiou Vlachos Economou Karagiannis Alexiou
    Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç
    Aslan Çetin Kara Koç Kurt Özkan Şimşek Polat Korkmaz Erdoğan
    Abdullah Ahmed Al-Ahmad Al-Farsi Al-Hashimi Al-Masri Al-Rashid Aziz Bakr Darwish Farouk
    Haddad Hamdan Hassan Hussein Ibrahim Ismail Jaber Khalil Khan Khoury Mahmoud Mansour
    Mustafa Nasser Qureshi Rahman Saleh Salem Sayed Shaikh Suleiman Yousef Zaki Benali
    Belkacem Bouzid Haddad Mansouri Amrani Tahiri
    Ahmadi Hosseini Karimi Mohammadi Moradi Rahimi Rezaei Jafari Sadeghi Hashemi
    Cohen Levi Levy Mizrahi Peretz Biton Friedman Goldberg Katz Rosenberg Shapiro
    Weinstein Goldstein Rosen Klein Schwartz Feldman Kaplan
    """,
    # South Asian
    """
    Agarwal Ahuja Bhat Bhatt Bose Chatterjee Chopra Das Desai Dutta Ghosh Gill Gupta Iyer
    Jain Joshi Kapoor Kaur Khanna Kulkarni Kumar Malhotra Mehta Menon Mishra Mukherjee Nair
    Pandey Patel Pillai Rao Reddy Saxena Sen Shah Sharma Shetty Singh Sinha Srinivasan
    Trivedi Verma Yadav Banerjee Bhattacharya Chaudhary Choudhury Naidu Rajan Krishnan
    Subramaniam Venkatesan Hussain Siddiqui Chaudhry Malik Butt Akhtar Perera Fernando
    Silva Jayasuriya Wickramasinghe
    """,
    # East and Southeast Asian (romanised)
    """
    Chen Cheng Chan Chang Chong Chow Chu Deng Ding Fan Feng Gao Guo Han He Hu Huang Jiang
    Kong Lai Lam Lau Leung Liang Liao Lin Liu Lu Luo Ma Mao Pan Peng Qian Shen Song Su Sun
    Tan Tang Tsai Wang Wong Wu Xie Xu Yan Yang Yao Ye Yeung Yip Yu Yuan Zhang Zhao Zheng
    Zhou Zhu Kim Lee Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang Ahn Song
    Yoo Hong Jeon Ko Moon Yang Son Bae Baek Heo Nam
    Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida
    Yamada Sasaki Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu Yamazaki Mori Abe Ikeda
    Hashimoto Ishikawa Ogawa Okada Goto Hasegawa Murakami Kondo Fujita Fukuda

    Nguyen Tran Le Pham Hoang Huynh Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly
    Santos Reyes Cruz Bautista Ocampo Garcia Mendoza Aquino Villanueva Dela Cruz
    Wijaya Santoso Susanto Gunawan Halim Hidayat Setiawan Pratama Saputra Nugroho
    Suttipong Srisai Wongsawat Chaiyaporn
    """,
    # African
    """
    Adebayo Adeyemi Afolabi Akinola Babatunde Balogun Bello Eze Ibrahim Nwankwo Nwosu Obi
    Okafor Okeke Okonkwo Okoro Olawale Uche Mensah Owusu Boateng Asante Appiah
    Osei Agyeman Kamau Mwangi Otieno Odhiambo Wanjiku Njoroge Kiprop Kipchoge Ochieng
    Nkosi Dlamini Ndlovu Khumalo Mokoena Mahlangu Zulu Mthembu Sithole Moyo Ncube Banda
    Phiri Mulenga Tembo Diallo Diop Ndiaye Traoré Touré Keita Coulibaly Cissé Sow Ba Camara
    Bekele Tesfaye Haile Girma Mengistu
    """,
)

# Names that are also ordinary English (or common business) words: they only count inside a
# longer name, never on their own and never in all-lower-case text.
AMBIGUOUS = word_set(
    """
    will mark may june april august grace hope faith joy dawn amber crystal ruby pearl iris
    ivy lily daisy holly heather summer autumn winter spring sky river hunter chase
    mason cooper miles frank gene guy rich sunny sandy rusty jack pat sue art bob don ray dean
    earl ward wade drew lance rod royal angel destiny harmony melody precious patience
    prudence trinity major basil sage jade violet hazel olive ginger candy brandy penny
    sterling reed bill bud buck cliff dale glen grant hale lane long moss rose page price
    power may brown white black green gray grey young king wood woods hill hall walker baker
    cook turner miller smith park key bell ward short strong bird fox wolf lamb stone marsh
    field fields street church bishop knight pope gold silver mann nash bush hunt booth
    cross day frost snow best sharp swift wise banks little small north south east west
    lord duke prince law judge clay gay love noble rice wells mills mayo hardy sterling
    berry cole  lewis   jordan morgan
      ford hudson lincoln washington jackson franklin madison austin houston
    dallas denver phoenix victoria georgia virginia florence sofia regina charlotte paris
    adelaide chelsea lima roma vienna troy aurora chance deal stan sol luz cruz paz rosa
        may mai li le do ho ma ye su an oh ko son ba nam
    long van young jung kim lee lin tan yu hu wu fan gao han he lu pan sun song tang
    chan lai lam lau yip ng bo per max can cem nur said ali sami jan kai ole tor thor ivo
    ion

    carl norman wallace marshall mitchell spencer stewart morris murray bailey
    graham chapman archer butler fisher fletcher hunter mason potter slater  tyler

    chad dakota carolina sierra raven misty poppy floor joke roar rune wit ping gang fang lien
    mart moon horn butt kiss gross tucker bourgeois carpenter porter gentile burns brooks
    freeman chambers carol sally ruth boer bonnet marine cox sung min tao yi dung dong lan obi
    inga ola nada mei ming gill ade das de sen sow shin pinto palmer zulu tom ken derrick
    rosemary rosario salvador pascal victor jasmine marina constance trent mina iva mao pierce
    ting wen lei dirk bonnie jerry johnny billy bobby nancy tommy jenny molly peter lambert
    morel percy stanley brad marc jean roman florin franco christian maxim harry randy watts
    weber bose khan shah max tim jun oskar vasa ran ras akt kit ret met numb sting parkin nemo
    puma bad bid bim rac rho rab nanos golli gene joy
    weaver wheeler vega lang frost koch kraus braun weiß wolf sommer winter fuchs engel
    kaiser graf vogel koning stein berg holm dahl lund strand hagen salo laine niemi
    costa villa serra testa leone bruno conti monti longo greco russo romano marino
    santos reyes ramos cruz flores rojas blanco castillo   medina leon
    nova mayer meyer hart west bond shaw webb lamb wells price  english french
    german polish dutch irish  welsh norman tong tam chin ding kong
    """
)

# Places that are also given names or surnames: never accepted as a name on their own.
PLACES = word_set(
    """
    Austin Houston Dallas Denver Phoenix Jackson Lincoln Madison Columbus Springfield
    Portland Charlotte Raleigh Orlando Tampa Jacksonville Augusta Savannah Georgia Virginia
    Carolina Dakota Montana Nevada Florida Victoria Sydney Melbourne Adelaide Perth Darwin
    Brisbane Hobart Canberra Wellington Auckland Hamilton Nelson Chelsea Kingston Preston
    Bolton Burnley Darlington Stafford Lancaster Chester Warwick Kent Devon Cornwall
    Paris Lyon Nice Nancy Florence Sofia Valencia Granada Toledo Lima Roma Vienna Orleans
    Regina Victoria Alexandria Cairo Jordan Israel China India Trinidad Chad Niger Mali
    Georgia Kenya Jersey Guernsey Berlin Hamburg Dresden Bremen Essen Kiel Mainz Hanover
    Hannover Zurich Zürich Geneva Bern Basel Brussels Antwerp Ghent Bruges Amsterdam
    Rotterdam Utrecht Eindhoven Leiden Delft Haarlem Madrid Barcelona Sevilla Seville Bilbao
    Malaga Málaga Lisbon Lisboa Porto Milan Milano Turin Torino Naples Napoli Venice Venezia
    Genoa Genova Bologna Verona Pisa Siena Catania Bari Stockholm Oslo Bergen
    Helsinki Tampere Turku Espoo Oulu Copenhagen København Aarhus Odense Reykjavik Warsaw
    Warszawa Krakow Kraków Gdansk Gdańsk Wroclaw Wrocław Poznan Poznań Lodz Łódź Prague
    Praha Brno Budapest Debrecen Bratislava Ljubljana Zagreb Belgrade Sarajevo Bucharest
    Sofia Athens Thessaloniki Istanbul Ankara Izmir Moscow Kiev Kyiv Minsk Riga Tallinn
    Vilnius London Manchester Leeds Liverpool Bristol Glasgow Edinburgh Cardiff Belfast
    Dublin Cork Galway Birmingham Sheffield Newcastle Nottingham Leicester Oxford Cambridge
    Brighton Southampton Plymouth Aberdeen Dundee Inverness Swansea York Bath Coventry
    Boston Chicago Seattle Atlanta Miami Detroit Cleveland Toronto Montreal Vancouver
    Ottawa Calgary Quebec Mexico Bogota Bogotá Santiago Buenos Aires Caracas Quito Havana
    Tokyo Osaka Kyoto Seoul Busan Beijing Shanghai Shenzhen Hong Kong Taipei Singapore
    Jakarta Manila Bangkok Hanoi Delhi Mumbai Chennai Kolkata Bangalore Hyderabad Karachi
    Lahore Dhaka Colombo Dubai Doha Riyadh Tehran Baghdad Beirut Amman Damascus Nairobi
    Lagos Accra Abuja Kampala Johannesburg Pretoria Durban Cape Casablanca Tunis Algiers
    Europe America Africa Asia Australia Canada England Scotland Wales Ireland Germany France
    Spain Italy Portugal Poland Sweden Norway Finland Denmark Iceland Austria Switzerland
    Belgium Netherlands Holland Greece Turkey Russia Ukraine Japan Korea Brazil Argentina
    Chile Peru Colombia Egypt Morocco Nigeria Ghana Tunisia Uruguay Paraguay Bolivia Cyprus
    """
)

# Eponyms in scientific and medical text, and surnames that are mostly brands or firms.
EPONYMS = word_set(
    """
    Alzheimer Parkinson Huntington Hodgkin Crohn Cushing Addison Graves Hashimoto Kawasaki
    Kaposi Burkitt Ewing Wilms Barrett Raynaud Sjögren Tourette Asperger Down Turner
    Klinefelter Marfan Gaucher Fabry Pompe Tay Sachs Niemann Pick Creutzfeldt Jakob Guillain
    Barré Bell Lou Gehrig Duchenne Becker Hirschsprung Meckel Wernicke Korsakoff Broca
    Purkinje Schwann Golgi Langerhans Kupffer Sertoli Leydig Paneth Betz Hering Krebs Calvin
    Michaelis Menten Kaplan Meier Cox Wilcoxon Whitney Kruskal Wallis Fisher Pearson
    Spearman Bonferroni Tukey Student Bayes Bayesian Markov Gaussian Poisson Bernoulli
    Cochran Mantel Haenszel Hardy Weinberg Wald Levene Shapiro Wilk Kolmogorov Smirnov Holm
    Dunnett Scheffé Likert Cronbach Kendall Kappa Youden Hosmer Lemeshow Akaike Fourier
    Laplace Newton Einstein Darwin Mendel Pavlov Hebb Nernst Doppler Western Northern
    Southern Wistar Sprague Dawley Lewis Hoechst Giemsa Gram Ziehl Neelsen Papanicolaou
    Epstein Barr Coxsackie Ebola Marburg Lassa Zika Hendra Nipah Lyme Rift Norwalk Schiff
    Diels Alder Grignard Friedel Crafts Wittig Suzuki Heck Stille Negishi Sonogashira
    Ford Dell Boeing Disney Porsche Ferrari Lamborghini Siemens Philips Bosch Nestlé Kellogg
    Heinz Pfizer Merck Roche Bayer Novartis Sanofi Johnson Deloitte Accenture Goldman Morgan
    Chase Wells Fargo Barclays Lloyds Tesla Edison Marconi Nobel Pulitzer Grammy Oscar
    Emmy Tony Fulbright Rhodes Marshall Carnegie Rockefeller Guggenheim Smithsonian
    """
)

# Family-name particles that sit between a given name and a surname (" ten Pas").
PARTICLES = word_set(
    """
    van von der den de del della dei di da do dos das du la le ten ter op 't bin ibn al el
    mac ap af zu vom dela
    """
)
